"""l2_sgd_step updates the caller's w in place (w -= ...) and returns it, instead of returning a new array."""
CELL = "l2_sgd_step"
REPLACE = [("    return w - lr * (grad + lam * w)", "    w -= lr * (grad + lam * w)\n    return w")]
LOSES = ["test_l2_sgd_step"]
MAY_LOSE = []
