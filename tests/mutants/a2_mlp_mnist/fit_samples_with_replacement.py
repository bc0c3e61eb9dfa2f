"""fit draws each epoch's indices with replacement (rng.integers(0, n, size=n)) instead of a permutation: some
examples are visited twice in an epoch, others not at all."""
CELL = "net_classifier"
REPLACE = [("order = rng.permutation(n)", "order = rng.integers(0, n, size=n)")]
LOSES = ["test_fit"]
MAY_LOSE = ["test_accuracy"]
