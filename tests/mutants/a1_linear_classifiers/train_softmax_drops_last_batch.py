"""train_softmax only takes full mini-batches: the last, smaller batch of every epoch is left out."""
CELL = "train_softmax"
REPLACE = [("for start in range(0, n, batch_size):", "for start in range(0, n - batch_size + 1, batch_size):")]
LOSES = ["test_train_softmax"]
MAY_LOSE = []
