"""softmax subtracts the row maxima from the caller's Z in place (Z -= ...): the result is right but Z is changed."""
CELL = "softmax"
REPLACE = [("shifted = Z - np.max(Z, axis=1, keepdims=True)", "Z -= np.max(Z, axis=1, keepdims=True)\n    shifted = Z")]
LOSES = ["test_softmax"]
MAY_LOSE = []
