"""fit divides every SGD step by the batch size (param -= lr * grad / batch_size), although the gradients are
already means: training is batch_size times too slow."""
CELL = "net_classifier"
REPLACE = [('params["W1"] -= lr * grads["d_w1"]', 'params["W1"] -= lr * grads["d_w1"] / batch_size'),
           ('params["b1"] -= lr * grads["d_b1"]', 'params["b1"] -= lr * grads["d_b1"] / batch_size'),
           ('params["W2"] -= lr * grads["d_w2"]', 'params["W2"] -= lr * grads["d_w2"] / batch_size'),
           ('params["b2"] -= lr * grads["d_b2"]', 'params["b2"] -= lr * grads["d_b2"] / batch_size')]
LOSES = ["test_accuracy"]
MAY_LOSE = []
