"""raise SystemExit from the function the test calls."""
SOURCE = 'def double(x):\n    raise SystemExit(0)\n'
EXPECT = {'test_double': 0, 'test_b': 1}
