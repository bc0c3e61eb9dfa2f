"""logistic_gradient computes the error in the caller's y (y -= y_hat) and returns -X.T @ y / n: the gradient is right but y is changed."""
CELL = "logistic_gradient"
REPLACE = [("    return X.T @ (y_hat - y) / n", "    y -= y_hat\n    return -(X.T @ y) / n")]
LOSES = ["test_logistic_gradient", "test_logistic_gradient_mean"]
MAY_LOSE = []
