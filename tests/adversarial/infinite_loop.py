"""An infinite loop in the answer cell."""
SOURCE = 'while True:\n    pass\n'
EXPECT = {'test_double': 0, 'test_b': 1}
REASON = 'timeout'
LIMITS = {"timeout": 10}
