"""leaky_relu with the slope hard-coded to 0.01 instead of the alpha argument."""
CELL = "leaky_relu"
REPLACE = [("return np.where(z > 0, z, alpha * z)", "return np.where(z > 0, z, 0.01 * z)")]
LOSES = ["test_leaky_relu"]
MAY_LOSE = []
