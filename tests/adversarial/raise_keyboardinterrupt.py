"""raise KeyboardInterrupt from the function the test calls."""
SOURCE = 'def double(x):\n    raise KeyboardInterrupt\n'
EXPECT = {'test_double': 0, 'test_b': 1}
