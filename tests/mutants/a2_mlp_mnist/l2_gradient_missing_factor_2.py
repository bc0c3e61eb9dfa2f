"""The gradient of c * sum(W**2) written as c * W instead of 2 * c * W."""
CELL = "net_classifier"
REPLACE = [("d_w2 = a1.T @ d_z2 + 2 * c * W2", "d_w2 = a1.T @ d_z2 + c * W2"),
           ("d_w1 = X.T @ d_z1 + 2 * c * W1", "d_w1 = X.T @ d_z1 + c * W1")]
LOSES = ["test_gradients_weight_decay"]
MAY_LOSE = []
