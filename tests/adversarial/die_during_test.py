"""os._exit() while a test calls the function: that test cell fails, the kernel is restarted, later cells are graded."""
SOURCE = 'import os\ndef double(x):\n    os._exit(1)\n'
EXPECT = {"test_double": 0, "test_b": 1}
REASON = "kernel died"
