"""train_logistic starts from small random weights instead of w = np.zeros(d)."""
CELL = "train_logistic"
REPLACE = [("    w = np.zeros(d)\n", "    w = rng.normal(scale=0.01, size=d)\n")]
LOSES = ["test_train_logistic_early_stopping"]
MAY_LOSE = []
