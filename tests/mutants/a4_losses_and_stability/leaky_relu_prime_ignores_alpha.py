"""leaky_relu_prime with the negative slope hard-coded to 0.01 instead of the alpha argument."""
CELL = "leaky_relu_prime"
REPLACE = [("return np.where(z > 0, 1.0, alpha)", "return np.where(z > 0, 1.0, 0.01)")]
LOSES = ["test_leaky_relu_prime"]
MAY_LOSE = []
