"""d_b1 returned per example, shape (n, h), instead of summed over the batch to shape (1, h)."""
CELL = "net_classifier"
REPLACE = [("d_b1 = np.sum(d_z1, axis=0, keepdims=True)", "d_b1 = d_z1")]
LOSES = ["test_cost_grad_shapes", "test_gradients_no_decay"]
# Every later use of the gradients sees the wrong shape (the SGD step cannot broadcast it).
MAY_LOSE = ["test_gradients_weight_decay", "test_batch_mean", "test_fit", "test_accuracy"]
