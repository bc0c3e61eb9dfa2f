"""leaky_relu_prime by filling a new array of ones and setting alpha where z <= 0 (z itself untouched)."""
CELL = "leaky_relu_prime"
REPLACE = [("    return np.where(z > 0, 1.0, alpha)", """    d = np.ones(np.shape(z))
    d[np.asarray(z) <= 0] = alpha
    return d""")]
