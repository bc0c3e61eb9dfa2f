"""Weight gradients computed with the products in the wrong order: dW0 is (d0, d1) and dW1 is (d1, d2)."""
CELL = "mlp"
REPLACE = [("dW1 = dZ1.T @ A0 ", "dW1 = A0.T @ dZ1 "), ("dW0 = dZ0.T @ X ", "dW0 = X.T @ dZ0 ")]
LOSES = ["test_backward_shapes"]
MAY_LOSE = []
