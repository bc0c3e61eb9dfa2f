"""Biases initialised with shape (d,) instead of (d, 1) (they broadcast into (n, d) in forward, so it runs)."""
CELL = "mlp"
REPLACE = [('self.params["b0"] = np.zeros((d1, 1))', 'self.params["b0"] = np.zeros(d1)'),
           ('self.params["b1"] = np.zeros((d2, 1))', 'self.params["b1"] = np.zeros(d2)')]
LOSES = ["test_mlp_init"]
MAY_LOSE = []
