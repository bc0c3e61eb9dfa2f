"""softmax_gradient builds the penalty term on W itself (reg = W; reg[-1] = 0): the caller's bias row is set to zero."""
CELL = "softmax_gradient"
REPLACE = [("    reg = 2.0 * lam * W\n    reg[-1, :] = 0.0\n", "    reg = W\n    reg[-1, :] = 0.0\n    reg = 2.0 * lam * reg\n")]
LOSES = ["test_softmax_gradient"]
MAY_LOSE = ["test_softmax_gradient_l2", "test_softmax_accuracy", "test_weight_norms_decrease"]
