"""An ndarray subclass whose comparisons always succeed."""
SOURCE = 'import numpy as np\nclass Yes(np.ndarray):\n    def __eq__(self, o): return np.ones(self.shape, bool)\n    def __sub__(self, o): return np.zeros(self.shape)\n    def __array_finalize__(self, obj): pass\ndef double(x):\n    return np.zeros(np.shape(x)).view(Yes)\n'
EXPECT = {'test_double': 0, 'test_b': 1}
