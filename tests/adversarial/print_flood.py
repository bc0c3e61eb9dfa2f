"""Print hundreds of megabytes, then answer correctly (the flood is cut, the answer counts)."""
SOURCE = "import sys, numpy as np\nline = 'x' * 1000 + '\\n'\nfor _ in range(300_000):\n    sys.stdout.write(line)\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)\n"
EXPECT = {'test_double': 2, 'test_b': 1}
