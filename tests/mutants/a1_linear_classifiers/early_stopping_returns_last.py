"""train_logistic stops early but returns the last weights instead of the best ones."""
CELL = 'train_logistic'
REPLACE = [('return best_w, history', 'return w, history')]
LOSES = ['test_train_logistic_early_stopping']
MAY_LOSE = []
