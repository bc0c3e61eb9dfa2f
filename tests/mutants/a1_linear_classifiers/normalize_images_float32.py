"""normalize_images converts to float32 instead of float64: the values are only accurate to about 1e-7."""
CELL = "normalize_images"
REPLACE = [("    return X.astype(np.float64) / 127.5 - 1.0", "    return X.astype(np.float32) / np.float32(127.5) - np.float32(1.0)")]
LOSES = ["test_normalize_images"]
MAY_LOSE = []
