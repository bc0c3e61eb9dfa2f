"""Allocate without bound while a test calls the function: MemoryError under the cap, in that test cell only."""
SOURCE = 'def double(x):\n    hog = []\n    while True:\n        hog.append(bytearray(64 * 1024 * 1024))\n'
EXPECT = {"test_double": 0, "test_b": 1}
REASON = "MemoryError"
