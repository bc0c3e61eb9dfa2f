"""train_softmax never shuffles: every epoch visits the examples in their original order."""
CELL = 'train_softmax'
REPLACE = [('        order = rng.permutation(n)\n', '        order = np.arange(n)\n')]
LOSES = ['test_train_softmax']
MAY_LOSE = []
