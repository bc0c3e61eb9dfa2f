"""Honest control: a correct answer that shows a tqdm progress bar (on stderr)."""
SOURCE = 'import numpy as np\nfrom tqdm import tqdm\ndef double(x):\n    out = []\n    for v in tqdm(np.asarray(x, dtype=float).ravel(), desc="doubling"):\n        out.append(2.0 * v)\n    return np.array(out, dtype=float).reshape(np.shape(x))\n'
EXPECT = {"test_double": 2, "test_b": 1}
