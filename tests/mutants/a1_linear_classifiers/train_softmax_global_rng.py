"""train_softmax shuffles with numpy's global np.random.permutation instead of rng = np.random.default_rng(seed): two runs with the same seed visit the examples in different orders."""
CELL = "train_softmax"
REPLACE = [("        order = rng.permutation(n)\n", "        order = np.random.permutation(n)\n")]
LOSES = ["test_train_softmax"]
MAY_LOSE = ["test_weight_norms_decrease"]  # each lam is trained on other, unseeded orders
