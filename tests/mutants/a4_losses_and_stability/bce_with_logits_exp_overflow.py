"""bce_with_logits as log1p(exp(z)) - y z: exp(z) overflows for z = 1e4."""
CELL = "bce_with_logits"
REPLACE = [("losses = np.maximum(z, 0.0) - y * z + np.log1p(np.exp(-np.abs(z)))",
            "losses = np.log1p(np.exp(z)) - y * z")]
LOSES = ["test_bce_with_logits_extreme"]
MAY_LOSE = []
