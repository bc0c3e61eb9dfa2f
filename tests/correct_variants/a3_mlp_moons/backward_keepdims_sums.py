"""backward with the bias gradients summed with keepdims and transposed, and the mean taken at the end."""
CELL = "mlp"
REPLACE = [("        dZ1 = (A1 - Y) / n ", "        dZ1 = (A1 - Y) * (1.0 / n) "),
           ("        db1 = np.sum(dZ1, axis=0).reshape(-1, 1) ", "        db1 = dZ1.sum(axis=0, keepdims=True).T "),
           ("        db0 = np.sum(dZ0, axis=0).reshape(-1, 1) ", "        db0 = dZ0.sum(axis=0)[:, np.newaxis] ")]
