"""train_logistic stepping with a new array (w = w - ...) and keeping the best weights with np.array(w)."""
CELL = "train_logistic"
REPLACE = [("            w -= lr * grad_fn(X_train[idx], y_train[idx], w)", "            w = w - lr * grad_fn(X_train[idx], y_train[idx], w)"),
           ("            best_w = w.copy()", "            best_w = np.array(w)")]
