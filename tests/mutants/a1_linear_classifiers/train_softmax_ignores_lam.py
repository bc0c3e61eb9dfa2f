"""train_softmax calls grad_fn with lam = 0 instead of the lam it was given."""
CELL = 'train_softmax'
REPLACE = [('W -= lr * grad_fn(X_train[idx], Y_train[idx], W, lam)', 'W -= lr * grad_fn(X_train[idx], Y_train[idx], W, 0.0)')]
LOSES = ['test_train_softmax', 'test_weight_norms_decrease']
MAY_LOSE = []
