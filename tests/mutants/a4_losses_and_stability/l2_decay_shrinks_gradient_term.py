"""Weight decay applied after the gradient step, (w - lr * grad) * (1 - lr * lam): the gradient term is shrunk too."""
CELL = "l2_sgd_step"
REPLACE = [("return w - lr * (grad + lam * w)", "return (w - lr * grad) * (1.0 - lr * lam)")]
# Exact formula differs by lr**2 * lam * grad; the fixed point on the quadratic moves too.
LOSES = ["test_l2_sgd_step", "test_weight_decay_shrinks"]
MAY_LOSE = []
