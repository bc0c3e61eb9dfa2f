"""cross_entropy_loss takes log(Y_hat) without clipping: 0 * log(0) is nan."""
CELL = 'cross_entropy_loss'
REPLACE = [('np.log(np.clip(Y_hat, 1e-12, 1.0))', 'np.log(Y_hat)')]
LOSES = ['test_cross_entropy_loss']
MAY_LOSE = []
