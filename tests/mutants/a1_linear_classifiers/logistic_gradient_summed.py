"""logistic_gradient sums over the batch instead of averaging (no division by n)."""
CELL = 'logistic_gradient'
REPLACE = [('X.T @ (y_hat - y) / n', 'X.T @ (y_hat - y)')]
LOSES = ['test_logistic_gradient', 'test_logistic_gradient_mean']
MAY_LOSE = ['test_logistic_accuracy']
