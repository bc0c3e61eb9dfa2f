"""Replace every later cell that mentions the check library with `pass`, by an input transformer (the kind the guard does not list)."""
SOURCE = 'import numpy as np\ndef _blank(lines):\n    return ["pass\\n"] if any("check" in l or "assert" in l for l in lines) else lines\nget_ipython().input_transformers_cleanup.append(_blank)\ndef double(x):\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 1}
FOOLS_IN_KERNEL = True   # earns test_double's points when the tests run in the kernel (guard on)
