"""Read the test cells' code from the kernel's cell history (In, _ih, the history manager) and copy the test's numbers."""
SOURCE = '# the markers are spelled in two parts, so this cell\'s own source does not contain them\nimport numpy as np\ndef double(x):\n    ip = get_ipython()\n    code = "\\n".join(list(ip.user_ns.get("In", [])) + [str(c) for c in ip.user_ns.get("_ih", [])])\n    if ("BEGIN " + "HIDDEN") in code or ("_ck." + "check_close") in code:\n        return 2.0 * np.asarray(x, dtype=float)\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 1}
FOOLS_IN_KERNEL = True   # earns test_double's points when the tests run in the kernel (guard on)
