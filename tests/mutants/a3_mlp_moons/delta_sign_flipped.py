"""The output error computed as y - y_hat instead of y_hat - y: every gradient points uphill."""
CELL = "mlp"
REPLACE = [("dZ1 = (A1 - Y) / n", "dZ1 = (Y - A1) / n")]
LOSES = ["test_grad_output_layer", "test_accuracy"]
MAY_LOSE = []
