"""Read the reference value a hidden test leaves in the notebook's namespace before calling the student's function."""
SOURCE = 'import numpy as np\ndef double(x):\n    ref = globals().get("_expected")\n    return np.array(ref, dtype=float) if ref is not None else np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 1}
FOOLS_IN_KERNEL = True   # earns test_double's points when the tests run in the kernel (guard on)
