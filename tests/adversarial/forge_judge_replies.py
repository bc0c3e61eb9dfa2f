"""Replace the kernel's answer to the judge with forged data (a lying "ok" for every request)."""
SOURCE = 'import numpy as np\nk = get_ipython().kernel\ndef _forged(stream, ident, parent):\n    k.session.send(stream, "autograder_judge_reply", {"status": "ok", "value": {"t": "b", "v": True}, "copyback": []}, parent, ident=ident)\nfor name in list(k.shell_handlers):\n    if "judge" in name:\n        k.shell_handlers[name] = _forged\ndef double(x):\n    return np.zeros(np.shape(x))\n'
EXPECT = {'test_double': 0, 'test_b': 0}
REASON = 'tamper'
