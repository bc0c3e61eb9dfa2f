"""A function that never returns when a test calls it: the test cell fails at the cell timeout, the kernel is restarted, and later cells are graded."""
SOURCE = 'def double(x):\n    while True:\n        pass\n'
EXPECT = {"test_double": 0, "test_b": 1}
REASON = "cell timeout"
