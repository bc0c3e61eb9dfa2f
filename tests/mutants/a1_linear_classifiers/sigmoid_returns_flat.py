"""sigmoid flattens z (np.asarray(z, dtype=np.float64).ravel()): right for vectors, but a (3, 5) input comes back as (15,)."""
CELL = "sigmoid"
REPLACE = [("    z = np.asarray(z, dtype=np.float64)\n", "    z = np.asarray(z, dtype=np.float64).ravel()\n")]
LOSES = ["test_sigmoid", "test_sigmoid_stability"]
MAY_LOSE = []
