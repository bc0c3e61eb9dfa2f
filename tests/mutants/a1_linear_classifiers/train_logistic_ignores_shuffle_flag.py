"""train_logistic shuffles every epoch even with shuffle=False (the flag is ignored)."""
CELL = "train_logistic"
REPLACE = [("order = rng.permutation(n) if shuffle else np.arange(n)", "order = rng.permutation(n)")]
LOSES = ["test_train_logistic_shuffling"]
MAY_LOSE = []
