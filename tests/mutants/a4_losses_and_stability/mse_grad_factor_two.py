"""d/dz of 0.5 * (sigmoid(z) - y)**2 with the factor 1/2 forgotten: 2 (s - y) s (1 - s), twice the true gradient."""
CELL = "mse_sigmoid_grad"
REPLACE = [("return (s - y) * s * (1.0 - s)", "return 2.0 * (s - y) * s * (1.0 - s)")]
LOSES = ["test_mse_sigmoid_grad"]
MAY_LOSE = []
