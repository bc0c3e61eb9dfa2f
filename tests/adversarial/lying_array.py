"""An object whose __array__ and __float__ lie (and would even give the right values)."""
SOURCE = 'import numpy as np\nclass Liar:\n    def __init__(self, x): self.x = x\n    def __array__(self, dtype=None, copy=None): return 2.0 * np.asarray(self.x, dtype=float)\n    def __float__(self): return 0.0\n    def __eq__(self, other): return True\ndef double(x):\n    return Liar(x)\n'
EXPECT = {'test_double': 0, 'test_b': 1}
