"""softmax subtracts the row maximum from X in place (X -= ...): the result is right, but the caller's logits
are overwritten."""
CELL = "softmax"
REPLACE = [("shifted = X - np.max(X, axis=1, keepdims=True)", "X -= np.max(X, axis=1, keepdims=True)\n    shifted = X")]
LOSES = ["test_softmax_stability"]
MAY_LOSE = []
