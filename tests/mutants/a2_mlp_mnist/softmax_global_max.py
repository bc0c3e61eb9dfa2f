"""softmax subtracts the maximum of the whole matrix instead of each row's maximum: a row far below the
global maximum underflows to 0 / 0."""
CELL = "softmax"
REPLACE = [("shifted = X - np.max(X, axis=1, keepdims=True)", "shifted = X - np.max(X)")]
LOSES = ["test_softmax_stability"]
MAY_LOSE = []
