"""train_softmax divides the (already averaged) gradient by the batch size again: the step is lr * grad / batch_size."""
CELL = "train_softmax"
REPLACE = [("W -= lr * grad_fn(X_train[idx], Y_train[idx], W, lam)", "W -= lr * grad_fn(X_train[idx], Y_train[idx], W, lam) / len(idx)")]
LOSES = ["test_train_softmax"]
MAY_LOSE = ["test_softmax_accuracy", "test_weight_norms_decrease"]
