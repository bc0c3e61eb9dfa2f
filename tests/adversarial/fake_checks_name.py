"""Rebind the notebook's `checks` and `np` names to fakes (the judge's tests never use the notebook's names)."""
SOURCE = 'import types, numpy\nchecks = types.SimpleNamespace(check_array=lambda a, *r, **k: a, check_close=lambda *a, **k: None)\ndef double(x):\n    return numpy.zeros(numpy.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 1}
