"""The cross-entropy summed over the batch instead of averaged (the gradients are still means)."""
CELL = "net_classifier"
REPLACE = [("cost = -np.mean(log_likelihood)", "cost = -np.sum(log_likelihood)")]
LOSES = ["test_cost_data_term", "test_batch_mean"]
MAY_LOSE = []
