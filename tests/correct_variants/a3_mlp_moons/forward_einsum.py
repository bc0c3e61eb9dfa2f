"""forward with np.einsum for the first layer and np.dot for the second instead of @."""
CELL = "mlp"
REPLACE = [('        Z0 = X_batch @ p["W0"].T + p["b0"].T', '        Z0 = np.einsum("nd,hd->nh", X_batch, p["W0"]) + p["b0"].T'),
           ('        Z1 = A0 @ p["W1"].T + p["b1"].T', '        Z1 = np.dot(A0, p["W1"].T) + p["b1"].T')]
