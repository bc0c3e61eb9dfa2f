"""Allocate far more memory than the cap."""
SOURCE = 'import numpy as np\nhog = [np.ones(10**8) for _ in range(100)]\n'
EXPECT = {'test_double': 0, 'test_b': 1}
REASON = 'MemoryError'
