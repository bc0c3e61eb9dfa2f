"""The gradient of lam * sum(W**2) written as lam * W instead of 2 * lam * W."""
CELL = 'softmax_gradient'
REPLACE = [('reg = 2.0 * lam * W', 'reg = lam * W')]
LOSES = ['test_softmax_gradient_l2']
MAY_LOSE = []
