"""softmax divides by the sums of the columns (axis=0) instead of each row's sum: the rows do not sum to 1."""
CELL = "softmax"
REPLACE = [("    return e / np.sum(e, axis=1, keepdims=True)", "    return e / np.sum(e, axis=0, keepdims=True)")]
LOSES = ["test_softmax"]
MAY_LOSE = ["test_softmax_gradient", "test_train_softmax", "test_softmax_accuracy", "test_weight_norms_decrease"]
