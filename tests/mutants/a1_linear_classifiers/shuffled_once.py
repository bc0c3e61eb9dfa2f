"""train_logistic draws one permutation before training and reuses it in every epoch."""
CELL = 'train_logistic'
REPLACE = [('    rng = np.random.default_rng(seed)\n', '    rng = np.random.default_rng(seed)\n    fixed_order = rng.permutation(n)\n'), ('order = rng.permutation(n) if shuffle', 'order = fixed_order if shuffle')]
LOSES = ['test_train_logistic_shuffling']
MAY_LOSE = []
