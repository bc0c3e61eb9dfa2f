"""one_in_k_encoding takes the number of columns from the labels present (vec.max() + 1) instead of k: a batch
that lacks the largest classes gets too few columns."""
CELL = "one_in_k_encoding"
REPLACE = [("enc = np.zeros((n, k), dtype=np.float64)", "enc = np.zeros((n, vec.max() + 1), dtype=np.float64)")]
LOSES = ["test_one_in_k_encoding"]
# cost_grad subtracts the encoding from (n, k) probabilities: a mini-batch without the largest label
# no longer broadcasts, which happens by chance in training.
MAY_LOSE = ["test_fit", "test_accuracy"]
