"""sigmoid writes its result into the caller's z (out = z instead of a new array): the values are right but z is changed."""
CELL = "sigmoid"
REPLACE = [("out = np.empty_like(z)", "out = z")]
LOSES = ["test_sigmoid", "test_sigmoid_stability"]
MAY_LOSE = []
