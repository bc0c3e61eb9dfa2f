"""sys.exit() in the answer cell."""
SOURCE = 'import sys\nsys.exit(0)\n'
EXPECT = {'test_double': 0, 'test_b': 1}
