"""weight_norms measures the norm of all of W, bias row included."""
CELL = 'weight_norms'
REPLACE = [('np.sum(W[:-1] ** 2)', 'np.sum(W ** 2)')]
LOSES = ['test_weight_norms']
MAY_LOSE = []
