"""The gradient at the logits is p - one_hot(y) without dividing by the batch size: the gradients are sums
over the batch while the cost is a mean."""
CELL = "net_classifier"
REPLACE = [("d_z2 = (p - one_in_k_encoding(y, k)) / n", "d_z2 = p - one_in_k_encoding(y, k)")]
LOSES = ["test_gradients_no_decay", "test_batch_mean"]
# SGD with gradients n times too large overshoots: on the small fit problem the cost reaches log(0)
# (a RuntimeWarning in the cell's output), and on MNIST training diverges.
MAY_LOSE = ["test_fit", "test_accuracy"]
