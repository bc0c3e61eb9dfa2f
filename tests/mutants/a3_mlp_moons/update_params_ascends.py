"""update_params adds the gradient (gradient ascent) instead of subtracting it."""
CELL = "mlp"
REPLACE = [('self.params[name] = self.params[name] - learning_rate * grads["d" + name]',
            'self.params[name] = self.params[name] + learning_rate * grads["d" + name]')]
LOSES = ["test_update_params"]
MAY_LOSE = []
