"""os._exit() ends the kernel: the engine restarts it, the cell that died earns nothing, later cells are graded."""
SOURCE = 'import os\nos._exit(0)\n'
EXPECT = {'test_double': 0, 'test_b': 1}
REASON = 'kernel died'
