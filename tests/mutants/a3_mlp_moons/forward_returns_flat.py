"""forward returns y_hat flattened to shape (n,) instead of (n, 1)."""
CELL = "mlp"
REPLACE = [("        return A1\n", "        return A1.ravel()\n")]
LOSES = ["test_forward"]
MAY_LOSE = []
