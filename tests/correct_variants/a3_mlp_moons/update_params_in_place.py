"""update_params with in-place updates of the parameter arrays (-=), which the docstring allows."""
CELL = "mlp"
REPLACE = [('            self.params[name] = self.params[name] - learning_rate * grads["d" + name]',
            '            self.params[name] -= learning_rate * grads["d" + name]')]
