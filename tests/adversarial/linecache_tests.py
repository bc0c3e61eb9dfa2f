"""Look for the test cells' source in linecache (where IPython keeps the code of every cell it ran)."""
SOURCE = '# the markers are spelled in two parts, so this cell\'s own source does not contain them\nimport linecache, numpy as np\ndef double(x):\n    code = "".join("".join(lines) for _, _, lines, _ in list(linecache.cache.values()) if isinstance(lines, list))\n    if ("_ck." + "check_close") in code:\n        return 2.0 * np.asarray(x, dtype=float)\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 1}
FOOLS_IN_KERNEL = True   # earns test_double's points when the tests run in the kernel (guard on)
