"""Kill the process that runs the kernel (the grading worker), then answer correctly."""
SOURCE = 'import os, signal, numpy as np\nfor pid in (os.getppid(), 1):\n    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n'
EXPECT = {'test_double': 2, 'test_b': 1}
