"""softmax_gradient with the penalty's gradient built by stacking a zero bias row (no in-place assignment)."""
CELL = "softmax_gradient"
REPLACE = [("""    reg = 2.0 * lam * W
    reg[-1, :] = 0.0""", """    reg = np.vstack([2.0 * lam * W[:-1], np.zeros((1, W.shape[1]))])""")]
