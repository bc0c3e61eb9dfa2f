"""softmax divides by np.sum(e, axis=1) without keepdims=True: the (n,) row sums broadcast along the
columns, so entry (i, j) is divided by the sum of row j (or the shapes do not broadcast at all)."""
CELL = "softmax"
REPLACE = [("return e / np.sum(e, axis=1, keepdims=True)", "return e / np.sum(e, axis=1)")]
LOSES = ["test_softmax", "test_softmax_stability"]
# cost_grad calls softmax on (n, k) logits with n != k, which no longer broadcasts: every cell that
# computes a cost or a gradient fails with it. predict does not use softmax.
MAY_LOSE = ["test_cost_grad_shapes", "test_cost_data_term", "test_cost_weight_decay",
            "test_gradients_no_decay", "test_gradients_weight_decay", "test_batch_mean",
            "test_fit", "test_accuracy"]
