"""Make the shell swallow every error, so failing tests show no error output."""
SOURCE = 'import numpy as np\nget_ipython().showtraceback = lambda *a, **k: None\nget_ipython()._showtraceback = lambda *a, **k: None\ndef double(x):\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 0}
REASON = 'tamper'
