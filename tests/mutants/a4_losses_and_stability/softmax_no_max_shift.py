"""stable_softmax without subtracting the maximum: exp() overflows for logits around 1000."""
CELL = "stable_softmax"
REPLACE = [("shifted = z - np.max(z, axis=-1, keepdims=True)", "shifted = z")]
LOSES = ["test_stable_softmax_extreme"]
MAY_LOSE = []
