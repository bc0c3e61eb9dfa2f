"""d/dz of 0.5 * (sigmoid(z) - y)**2 without the factor sigma'(z) = s (1 - s): the chain rule stops at s."""
CELL = "mse_sigmoid_grad"
REPLACE = [("return (s - y) * s * (1.0 - s)", "return s - y")]
LOSES = ["test_mse_sigmoid_grad"]
MAY_LOSE = []
