"""tanh_prime writes the derivative into x in place and returns x: right values, but the caller's array is overwritten."""
CELL = "tanh_prime"
REPLACE = [("    return 1.0 - np.tanh(x) ** 2", "    x[...] = 1.0 - np.tanh(x) ** 2\n    return x")]
LOSES = ["test_tanh_prime"]
MAY_LOSE = []
