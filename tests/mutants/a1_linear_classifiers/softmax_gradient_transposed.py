"""softmax_gradient computes the data term as (P - Y).T @ X / n, a (k, d) array instead of the (d, k) of W."""
CELL = "softmax_gradient"
REPLACE = [("grad = X.T @ (P - Y) / n", "grad = (P - Y).T @ X / n")]
LOSES = ["test_softmax_gradient", "test_softmax_gradient_l2"]
MAY_LOSE = ["test_softmax_accuracy", "test_weight_norms_decrease"]  # training cannot add a (10, 785) gradient to W
