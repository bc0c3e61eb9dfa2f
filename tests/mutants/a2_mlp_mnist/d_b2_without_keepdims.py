"""d_b2 summed over the batch without keepdims=True: shape (k,) instead of the (1, k) of b2."""
CELL = "net_classifier"
REPLACE = [("d_b2 = np.sum(d_z2, axis=0, keepdims=True)", "d_b2 = np.sum(d_z2, axis=0)")]
LOSES = ["test_cost_grad_shapes", "test_gradients_no_decay", "test_gradients_weight_decay", "test_batch_mean"]
MAY_LOSE = []
