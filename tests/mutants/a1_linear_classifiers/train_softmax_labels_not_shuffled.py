"""train_softmax shuffles the inputs but slices the labels in their original order."""
CELL = "train_softmax"
REPLACE = [("Y_train[idx], W, lam)", "Y_train[start:start + batch_size], W, lam)")]
LOSES = ["test_train_softmax"]
MAY_LOSE = ["test_softmax_accuracy", "test_weight_norms_decrease"]
