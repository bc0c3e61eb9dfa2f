"""train_softmax draws one permutation before training and reuses it in every epoch."""
CELL = 'train_softmax'
REPLACE = [('    rng = np.random.default_rng(seed)\n', '    rng = np.random.default_rng(seed)\n    fixed_order = rng.permutation(n)\n'),
           ('        order = rng.permutation(n)\n', '        order = fixed_order\n')]
LOSES = ['test_train_softmax']
MAY_LOSE = []
