"""fit takes the mini-batches in the original order every epoch (no shuffling)."""
CELL = "net_classifier"
REPLACE = [("order = rng.permutation(n)", "order = np.arange(n)")]
LOSES = ["test_fit"]
MAY_LOSE = []
