"""relu zeroes the negative entries of its argument in place (x[x < 0] = 0) and returns it."""
CELL = "relu"
REPLACE = [("    return np.maximum(x, 0.0)\n", "    x[x < 0] = 0.0\n    return x\n")]
LOSES = ["test_relu"]
MAY_LOSE = []
