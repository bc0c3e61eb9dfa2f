"""fit copying init_params with np.array(copy=True) and stepping with new arrays (params[k] = params[k] - ...)."""
CELL = "net_classifier"
REPLACE = [("        params = {name: value.copy() for name, value in init_params.items()}",
            "        params = {name: np.array(value, copy=True) for name, value in init_params.items()}"),
           ("""                params["W1"] -= lr * grads["d_w1"]
                params["b1"] -= lr * grads["d_b1"]
                params["W2"] -= lr * grads["d_w2"]
                params["b2"] -= lr * grads["d_b2"]""", """                for name in ("W1", "b1", "W2", "b2"):
                    params[name] = params[name] - lr * grads["d_" + name.lower()]""")]
