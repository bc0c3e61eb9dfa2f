"""train_softmax permuting copies of the data once per epoch and slicing them, stepping with new arrays."""
CELL = "train_softmax"
REPLACE = [("""        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            W -= lr * grad_fn(X_train[idx], Y_train[idx], W, lam)""", """        order = rng.permutation(n)
        X_epoch, Y_epoch = X_train[order], Y_train[order]
        for start in range(0, n, batch_size):
            W = W - lr * grad_fn(X_epoch[start:start + batch_size], Y_epoch[start:start + batch_size], W, lam)"""),
           ("            best_W = W.copy()", "            best_W = np.copy(W)")]
