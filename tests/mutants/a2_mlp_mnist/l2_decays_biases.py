"""Weight decay applied to the biases too: c * (sum(W1**2) + sum(b1**2) + sum(W2**2) + sum(b2**2)) in the
cost and 2 * c * b in the bias gradients."""
CELL = "net_classifier"
REPLACE = [(" + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))",
            " + c * (np.sum(W1 ** 2) + np.sum(b1 ** 2) + np.sum(W2 ** 2) + np.sum(b2 ** 2))"),
           ("d_b2 = np.sum(d_z2, axis=0, keepdims=True)", "d_b2 = np.sum(d_z2, axis=0, keepdims=True) + 2 * c * b2"),
           ("d_b1 = np.sum(d_z1, axis=0, keepdims=True)", "d_b1 = np.sum(d_z1, axis=0, keepdims=True) + 2 * c * b1")]
LOSES = ["test_cost_weight_decay", "test_gradients_weight_decay"]
MAY_LOSE = []
