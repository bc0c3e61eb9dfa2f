"""An object whose __eq__ always says True."""
SOURCE = 'class Liar:\n    def __eq__(self, other):\n        return True\n    __array_priority__ = 1000\ndef double(x):\n    return Liar()\n'
EXPECT = {'test_double': 0, 'test_b': 1}
