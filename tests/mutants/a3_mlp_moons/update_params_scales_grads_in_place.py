"""update_params multiplies the arrays of grads by the learning rate in place before subtracting them."""
CELL = "mlp"
REPLACE = [('            self.params[name] = self.params[name] - learning_rate * grads["d" + name]',
            '            grads["d" + name] *= learning_rate\n            self.params[name] = self.params[name] - grads["d" + name]')]
LOSES = ["test_update_params"]
MAY_LOSE = []
