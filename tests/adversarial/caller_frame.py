"""Walk up the call stack to the test's frame and copy the reference value from its variables."""
SOURCE = 'import sys, numpy as np\ndef double(x):\n    f = sys._getframe(1)\n    while f is not None:\n        ref = f.f_globals.get("_expected", f.f_locals.get("_expected"))\n        if ref is not None:\n            return np.array(ref, dtype=float)\n        f = f.f_back\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 1}
FOOLS_IN_KERNEL = True   # earns test_double's points when the tests run in the kernel (guard on)
