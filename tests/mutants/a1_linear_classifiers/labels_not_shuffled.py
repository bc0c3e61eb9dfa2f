"""train_logistic shuffles the inputs but slices the labels in their original order."""
CELL = 'train_logistic'
REPLACE = [('y_train[idx], w)', 'y_train[start:start + batch_size], w)')]
LOSES = ['test_train_logistic_shuffling', 'test_logistic_accuracy']
MAY_LOSE = []
