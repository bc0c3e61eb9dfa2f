"""softmax without subtracting the row maximum: exp() overflows for scores around 1000."""
CELL = 'softmax'
REPLACE = [('shifted = Z - np.max(Z, axis=1, keepdims=True)', 'shifted = Z')]
LOSES = ['test_softmax']
MAY_LOSE = []
