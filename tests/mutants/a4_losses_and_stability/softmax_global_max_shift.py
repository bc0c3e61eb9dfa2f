"""stable_softmax shifted by the maximum of the whole array instead of each row's maximum."""
CELL = "stable_softmax"
REPLACE = [("shifted = z - np.max(z, axis=-1, keepdims=True)", "shifted = z - np.max(z)")]
LOSES = ["test_stable_softmax_extreme"]
MAY_LOSE = []
