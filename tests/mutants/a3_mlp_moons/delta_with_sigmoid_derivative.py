"""The output error multiplied by sigmoid'(z) = y_hat (1 - y_hat), as for a squared error: wrong for cross-entropy."""
CELL = "mlp"
REPLACE = [("dZ1 = (A1 - Y) / n", "dZ1 = (A1 - Y) * A1 * (1 - A1) / n")]
LOSES = ["test_grad_output_layer"]
MAY_LOSE = []
