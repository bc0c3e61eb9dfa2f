"""The Leaky ReLU derivative copied from ReLU: 0 instead of alpha for negative inputs."""
CELL = "leaky_relu_prime"
REPLACE = [("return np.where(z > 0, 1.0, alpha)", "return np.where(z > 0, 1.0, 0.0)")]
LOSES = ["test_leaky_relu_prime"]
MAY_LOSE = []
