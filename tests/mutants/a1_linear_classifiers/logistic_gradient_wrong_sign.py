"""logistic_gradient uses (y - y_hat) instead of (y_hat - y): the gradient points uphill."""
CELL = 'logistic_gradient'
REPLACE = [('X.T @ (y_hat - y) / n', 'X.T @ (y - y_hat) / n')]
LOSES = ['test_logistic_gradient', 'test_logistic_accuracy']
MAY_LOSE = []
