"""mse_sigmoid_grad returns the mean of the per-sample gradients, a single number, instead of one per sample."""
CELL = "mse_sigmoid_grad"
REPLACE = [("return (s - y) * s * (1.0 - s)", "return np.mean((s - y) * s * (1.0 - s))")]
LOSES = ["test_mse_sigmoid_grad"]
MAY_LOSE = []
