"""softmax with the row maximum and row sums made columns by indexing ([:, None]) instead of keepdims."""
CELL = "softmax"
REPLACE = [("""    shifted = X - np.max(X, axis=1, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=1, keepdims=True)""", """    e = np.exp(X - X.max(axis=1)[:, None])
    return e / e.sum(axis=1)[:, None]""")]
