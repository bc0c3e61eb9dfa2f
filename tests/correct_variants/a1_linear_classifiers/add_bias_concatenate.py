"""add_bias with np.concatenate along axis 1 instead of np.hstack."""
CELL = "add_bias"
REPLACE = [("    return np.hstack([X, np.ones((X.shape[0], 1))])", "    return np.concatenate([X, np.ones((len(X), 1), dtype=X.dtype)], axis=1)")]
