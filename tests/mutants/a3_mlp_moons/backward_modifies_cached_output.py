"""backward computes dZ1 in place in the cached y_hat (dZ1 = A1; dZ1 -= Y): a second backward call gets other gradients."""
CELL = "mlp"
REPLACE = [("dZ1 = (A1 - Y) / n ", "dZ1 = A1; dZ1 -= Y; dZ1 /= n ")]
LOSES = ["test_forward_cache"]
MAY_LOSE = []
