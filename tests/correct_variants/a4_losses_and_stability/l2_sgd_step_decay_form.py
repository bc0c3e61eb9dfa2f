"""l2_sgd_step in the weight-decay form the prose derives: (1 - lr * lam) * w - lr * grad."""
CELL = "l2_sgd_step"
REPLACE = [("    return w - lr * (grad + lam * w)", "    return (1.0 - lr * lam) * w - lr * grad")]
