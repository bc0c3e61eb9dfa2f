"""tanh_prime computed with a Python loop over the entries of x: right values, but always a 1-d array."""
CELL = "tanh_prime"
REPLACE = [("    return 1.0 - np.tanh(x) ** 2", "    return np.array([1.0 - np.tanh(v) ** 2 for v in np.ravel(x)])")]
# a (4,) input keeps its shape, so only the hidden (5, 4, 3) and (1, 1) inputs see it
LOSES = ["test_tanh_prime"]
MAY_LOSE = []
