"""logistic_gradient divides the caller's X by n in place (X /= n) to get the mean: the gradient is right but X is changed."""
CELL = "logistic_gradient"
REPLACE = [("    return X.T @ (y_hat - y) / n", "    X /= n\n    return X.T @ (y_hat - y)")]
LOSES = ["test_logistic_gradient", "test_logistic_gradient_mean"]
MAY_LOSE = []
