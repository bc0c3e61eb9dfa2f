"""Honest control: a correct answer that issues a UserWarning."""
SOURCE = 'import warnings, numpy as np\ndef double(x):\n    warnings.warn("double() was called")\n    return 2.0 * np.asarray(x, dtype=float)\n'
EXPECT = {"test_double": 2, "test_b": 1}
