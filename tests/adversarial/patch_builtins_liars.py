"""Replace isinstance, float, abs and len with liars (this also breaks the kernel's own machinery)."""
SOURCE = "import builtins, numpy as np\nbuiltins.isinstance = lambda *a: True\nbuiltins.float = lambda x=0: 0.0\nbuiltins.abs = lambda x: 0\nbuiltins.len = lambda x: 3\ndef double(x):\n    return np.zeros(np.shape(x))\n"
EXPECT = {"test_double": 0, "test_b": 0}
