"""The weights are drawn from an unseeded generator: the same seed does not give the same network."""
CELL = "mlp"
REPLACE = [("rng = np.random.default_rng(seed)", "rng = np.random.default_rng()")]
LOSES = ["test_mlp_init"]
MAY_LOSE = []
