"""softmax without subtracting the row maximum: exp() overflows for logits around 1000."""
CELL = "softmax"
REPLACE = [("shifted = X - np.max(X, axis=1, keepdims=True)", "shifted = X")]
LOSES = ["test_softmax_stability"]
MAY_LOSE = []
