"""train_softmax starts from small random weights instead of W = np.zeros((d, k))."""
CELL = "train_softmax"
REPLACE = [("    W = np.zeros((d, k))\n", "    W = rng.normal(scale=0.01, size=(d, k))\n")]
LOSES = ["test_train_softmax"]
MAY_LOSE = ["test_weight_norms_decrease"]
