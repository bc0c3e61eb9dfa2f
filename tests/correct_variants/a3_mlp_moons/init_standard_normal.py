"""__init__ drawing the weights as rng.standard_normal(shape) * scale (the same distribution and stream)."""
CELL = "mlp"
REPLACE = [('        self.params["W0"] = rng.normal(scale=initialization_scale, size=(d1, d0))',
            '        self.params["W0"] = rng.standard_normal((d1, d0)) * initialization_scale'),
           ('        self.params["W1"] = rng.normal(scale=initialization_scale, size=(d2, d1))',
            '        self.params["W1"] = initialization_scale * rng.standard_normal(size=(d2, d1))')]
