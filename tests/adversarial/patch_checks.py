"""Replace the check library's functions, then answer wrongly."""
SOURCE = 'import numpy as np\nfrom autograder import checks\nimport autograder.checks.compare as _c\nchecks.check_close = lambda *a, **k: None\n_c.check_close = lambda *a, **k: None\ndef double(x):\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 0}
REASON = 'tamper'
