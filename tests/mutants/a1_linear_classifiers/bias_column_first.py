"""add_bias puts the column of ones first instead of last."""
CELL = 'add_bias'
REPLACE = [('np.hstack([X, np.ones((X.shape[0], 1))])', 'np.hstack([np.ones((X.shape[0], 1)), X])')]
LOSES = ['test_add_bias']
MAY_LOSE = []
