"""fit draws one permutation before the first epoch and reuses it in every epoch."""
CELL = "net_classifier"
REPLACE = [("        for epoch in range(epochs):\n            order = rng.permutation(n)\n",
            "        order = rng.permutation(n)\n        for epoch in range(epochs):\n")]
LOSES = ["test_fit"]
MAY_LOSE = ["test_accuracy"]
