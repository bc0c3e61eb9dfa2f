"""train_logistic never shuffles: every epoch visits the examples in their original order."""
CELL = 'train_logistic'
REPLACE = [('order = rng.permutation(n) if shuffle else np.arange(n)', 'order = np.arange(n)')]
LOSES = ['test_train_logistic_shuffling']
MAY_LOSE = []
