"""Return a proxy that claims to be an ndarray (its __class__ says so) and forwards everything to the right answer's shape."""
SOURCE = 'import numpy as np\nclass Proxy:\n    def __init__(self, a):\n        self._a = a\n    @property\n    def __class__(self):\n        return np.ndarray\n    def __getattr__(self, name):\n        return getattr(self._a, name)\n    def __eq__(self, other):\n        return True\n    def __array__(self, *a, **k):\n        return self._a\ndef double(x):\n    return Proxy(np.zeros(np.shape(x)))\n'
EXPECT = {'test_double': 0, 'test_b': 1}
