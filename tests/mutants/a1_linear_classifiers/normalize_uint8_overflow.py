"""Arithmetic on the uint8 array before converting to float: X * 2 wraps around for pixels >= 128."""
CELL = 'normalize_images'
REPLACE = [('return X.astype(np.float64) / 127.5 - 1.0', 'return (X * 2) / 255.0 - 1.0')]
LOSES = ['test_normalize_images']
MAY_LOSE = []
