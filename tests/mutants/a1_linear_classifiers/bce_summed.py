"""bce_loss sums the cross-entropy over the batch instead of averaging it."""
CELL = 'bce_loss'
REPLACE = [('return float(-np.mean(', 'return float(-np.sum(')]
LOSES = ['test_bce_loss']
MAY_LOSE = []
