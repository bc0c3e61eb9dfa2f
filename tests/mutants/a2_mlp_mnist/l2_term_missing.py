"""The cost leaves out the weight-decay term c * (sum(W1**2) + sum(W2**2))."""
CELL = "net_classifier"
REPLACE = [(" + c * (np.sum(W1 ** 2) + np.sum(W2 ** 2))", "")]
LOSES = ["test_cost_weight_decay"]
MAY_LOSE = []
