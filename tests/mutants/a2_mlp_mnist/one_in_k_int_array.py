"""one_in_k_encoding builds an integer array (np.zeros(..., dtype=int)) instead of a float one."""
CELL = "one_in_k_encoding"
REPLACE = [("enc = np.zeros((n, k), dtype=np.float64)", "enc = np.zeros((n, k), dtype=int)")]
LOSES = ["test_one_in_k_encoding"]
MAY_LOSE = []
