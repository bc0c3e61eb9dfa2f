"""A fork bomb."""
SOURCE = 'import os\nwhile True:\n    os.fork()\n'
EXPECT = {'test_double': 0, 'test_b': 1}
