"""logistic_gradient multiplies by the error as a column, returning a (d, 1) array instead of a vector of shape (d,) like w."""
CELL = "logistic_gradient"
REPLACE = [("    return X.T @ (y_hat - y) / n", "    return X.T @ (y_hat - y)[:, None] / n")]
LOSES = ["test_logistic_gradient", "test_logistic_gradient_mean"]
MAY_LOSE = ["test_logistic_accuracy"]  # w -= lr * grad cannot broadcast a (d, 1) gradient into w
