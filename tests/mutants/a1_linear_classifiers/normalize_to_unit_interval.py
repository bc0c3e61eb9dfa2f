"""Pixels scaled to [0, 1] (X / 255) instead of [-1, 1]."""
CELL = 'normalize_images'
REPLACE = [('return X.astype(np.float64) / 127.5 - 1.0', 'return X.astype(np.float64) / 255.0')]
LOSES = ['test_normalize_images']
MAY_LOSE = []
