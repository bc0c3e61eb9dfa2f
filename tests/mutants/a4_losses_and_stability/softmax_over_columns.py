"""stable_softmax in the column convention of section 6: max and sum over axis 0, so the columns, not the rows, sum to 1."""
CELL = "stable_softmax"
REPLACE = [("shifted = z - np.max(z, axis=-1, keepdims=True)", "shifted = z - np.max(z, axis=0, keepdims=True)"),
           ("return e / np.sum(e, axis=-1, keepdims=True)", "return e / np.sum(e, axis=0, keepdims=True)")]
LOSES = ["test_stable_softmax", "test_stable_softmax_extreme"]
MAY_LOSE = []
