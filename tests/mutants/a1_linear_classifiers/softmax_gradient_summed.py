"""softmax_gradient sums the data term over the batch instead of averaging."""
CELL = 'softmax_gradient'
REPLACE = [('grad = X.T @ (P - Y) / n', 'grad = X.T @ (P - Y)')]
LOSES = ['test_softmax_gradient']
MAY_LOSE = ['test_softmax_accuracy', 'test_weight_norms_decrease']
