"""The gradient at the logits written as one_hot(y) - p instead of p - one_hot(y): every data gradient has
the wrong sign, so SGD climbs the cost."""
CELL = "net_classifier"
REPLACE = [("d_z2 = (p - one_in_k_encoding(y, k)) / n", "d_z2 = (one_in_k_encoding(y, k) - p) / n")]
LOSES = ["test_gradients_no_decay"]
# Training with these gradients increases the cost.
MAY_LOSE = ["test_fit", "test_accuracy"]
