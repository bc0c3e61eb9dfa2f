"""Honest control: a correct answer that reports progress on stderr."""
SOURCE = 'import sys, numpy as np\ndef double(x):\n    print("doubling", np.shape(x), file=sys.stderr)\n    return 2.0 * np.asarray(x, dtype=float)\n'
EXPECT = {"test_double": 2, "test_b": 1}
