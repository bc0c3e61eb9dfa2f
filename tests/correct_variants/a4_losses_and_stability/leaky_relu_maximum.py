"""leaky_relu as np.maximum(z, alpha * z), correct for every slope 0 <= alpha <= 1."""
CELL = "leaky_relu"
REPLACE = [("    return np.where(z > 0, z, alpha * z)", "    return np.maximum(z, alpha * z)")]
