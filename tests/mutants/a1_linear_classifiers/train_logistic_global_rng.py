"""train_logistic shuffles with numpy's global np.random.permutation instead of rng = np.random.default_rng(seed): the orders do not depend on the seed and differ between two runs with the same seed."""
CELL = "train_logistic"
REPLACE = [("order = rng.permutation(n) if shuffle", "order = np.random.permutation(n) if shuffle")]
LOSES = ["test_train_logistic_shuffling"]
MAY_LOSE = []
