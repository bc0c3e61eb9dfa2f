"""The weights drawn with variance initialization_scale instead of standard deviation initialization_scale."""
CELL = "mlp"
REPLACE = [('self.params["W0"] = rng.normal(scale=initialization_scale, size=(d1, d0))',
            'self.params["W0"] = rng.normal(scale=np.sqrt(initialization_scale), size=(d1, d0))'),
           ('self.params["W1"] = rng.normal(scale=initialization_scale, size=(d2, d1))',
            'self.params["W1"] = rng.normal(scale=np.sqrt(initialization_scale), size=(d2, d1))')]
LOSES = ["test_mlp_init"]
MAY_LOSE = []
