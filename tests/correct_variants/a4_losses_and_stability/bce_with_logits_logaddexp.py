"""bce_with_logits as softplus(z) - y z with np.logaddexp(0, z): numpy's own stable log(1 + e^z)."""
CELL = "bce_with_logits"
REPLACE = [("    losses = np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))", "    losses = np.logaddexp(0.0, z) - y * z")]
