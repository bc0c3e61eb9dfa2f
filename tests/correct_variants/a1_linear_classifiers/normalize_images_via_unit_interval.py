"""normalize_images as (X / 255) * 2 - 1: through [0, 1] first, the same map to [-1, 1]."""
CELL = "normalize_images"
REPLACE = [("    return X.astype(np.float64) / 127.5 - 1.0", "    return (X / 255.0) * 2.0 - 1.0")]
