"""The L2 gradient is applied to the bias row (the last row of W) too."""
CELL = 'softmax_gradient'
REPLACE = [('    reg[-1, :] = 0.0\n', '')]
LOSES = ['test_softmax_gradient_l2']
MAY_LOSE = []
