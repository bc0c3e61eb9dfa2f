"""bce_loss sums the cross-entropy over the batch instead of averaging it."""
CELL = 'bce_loss'
REPLACE = [('return float(-np.mean(', 'return float(-np.sum(')]
LOSES = ['test_bce_loss']
MAY_LOSE = ['test_train_logistic_early_stopping']  # the loop's history is computed with the student's bce_loss
