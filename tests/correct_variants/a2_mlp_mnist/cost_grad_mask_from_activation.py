"""cost_grad with the ReLU mask taken from a1 > 0 through np.where, and the L2 terms written as sums of w * w."""
CELL = "net_classifier"
REPLACE = [("        d_z1 = d_a1 * (z1 > 0)", "        d_z1 = np.where(a1 > 0, d_a1, 0.0)"),
           ("        cost = -np.mean(log_likelihood) + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))",
            "        cost = -log_likelihood.sum() / n + c * ((W1 * W1).sum() + (W2 * W2).sum())")]
