"""train_logistic stores best_w = w without a copy, so the in-place updates of w change best_w too."""
CELL = 'train_logistic'
REPLACE = [('best_w = w.copy()', 'best_w = w')]
LOSES = ['test_train_logistic_early_stopping']
MAY_LOSE = []
