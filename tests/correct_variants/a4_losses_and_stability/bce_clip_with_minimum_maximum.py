"""bce clipping with np.minimum / np.maximum instead of np.clip, and the mean returned as numpy's float."""
CELL = "bce"
REPLACE = [("""    p = np.clip(y_hat, eps, 1.0 - eps)
    return float(np.mean(-(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))))""", """    p = np.minimum(np.maximum(y_hat, eps), 1.0 - eps)
    losses = -(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))
    return losses.sum() / losses.size""")]
