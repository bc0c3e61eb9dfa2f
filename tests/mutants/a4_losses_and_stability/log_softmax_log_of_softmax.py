"""log_softmax as np.log(stable_softmax(z)): -inf (divide by zero) where a probability underflows to 0."""
CELL = "log_softmax"
REPLACE = [("    shifted = z - np.max(z, axis=-1, keepdims=True)\n    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))",
            "    return np.log(stable_softmax(z))")]
LOSES = ["test_log_softmax_extreme"]
MAY_LOSE = []
