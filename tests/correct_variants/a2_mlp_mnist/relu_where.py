"""relu with np.where(x > 0, x, 0) instead of np.maximum (a new array; x untouched)."""
CELL = "relu"
REPLACE = [("    return np.maximum(x, 0.0)", "    return np.where(x > 0, x, 0.0)")]
