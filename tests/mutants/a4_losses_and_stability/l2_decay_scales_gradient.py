"""lam multiplies the gradient instead of the weights, w - lr * (1 + lam) * grad: no decay when grad = 0."""
CELL = "l2_sgd_step"
REPLACE = [("return w - lr * (grad + lam * w)", "return w - lr * (1.0 + lam) * grad")]
LOSES = ["test_l2_sgd_step", "test_weight_decay_shrinks"]
MAY_LOSE = []
