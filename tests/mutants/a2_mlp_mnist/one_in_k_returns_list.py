"""one_in_k_encoding returns a nested Python list (enc.tolist()) instead of a numpy array."""
CELL = "one_in_k_encoding"
REPLACE = [("    return enc\n", "    return enc.tolist()\n")]
LOSES = ["test_one_in_k_encoding"]
MAY_LOSE = []
