"""cross_entropy_loss sums over the rows instead of averaging."""
CELL = 'cross_entropy_loss'
REPLACE = [('-np.mean(np.sum(Y * log_p, axis=1))', '-np.sum(Y * log_p)')]
LOSES = ['test_cross_entropy_loss']
MAY_LOSE = ['test_train_softmax']  # the loop's history is computed with the student's cross_entropy_loss
