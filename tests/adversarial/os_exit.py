"""os._exit() ends the kernel: the cells after it cannot earn points."""
SOURCE = 'import os\nos._exit(0)\n'
EXPECT = {'test_double': 0, 'test_b': 0}
REASON = 'kernel died'
