"""fit shuffles with an unseeded generator (np.random.default_rng()): the orders change from run to run."""
CELL = "net_classifier"
REPLACE = [("rng = np.random.default_rng(seed)", "rng = np.random.default_rng()")]
LOSES = ["test_fit"]
MAY_LOSE = []  # a new order every run, as a correct fit with another shuffling scheme would draw: test_accuracy must not be lost (its margin)
