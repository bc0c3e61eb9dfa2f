"""normalize_images reshapes its input to rows (X.reshape(len(X), -1)): right for (n, 784), but a (2, 28, 28) input comes back as (2, 784)."""
CELL = "normalize_images"
REPLACE = [("    return X.astype(np.float64) / 127.5 - 1.0", "    return X.reshape(len(X), -1).astype(np.float64) / 127.5 - 1.0")]
LOSES = ["test_normalize_images"]
MAY_LOSE = []
