"""weight_norms returns the Python list of norms instead of a float array of shape (len(lambdas),)."""
CELL = "weight_norms"
REPLACE = [("    return np.array(norms, dtype=np.float64)", "    return norms")]
LOSES = ["test_weight_norms", "test_weight_norms_decrease"]
MAY_LOSE = []
