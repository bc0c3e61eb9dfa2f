"""train_logistic divides the (already averaged) gradient by the batch size again: the step is lr * grad / batch_size, not lr * grad."""
CELL = "train_logistic"
REPLACE = [("w -= lr * grad_fn(X_train[idx], y_train[idx], w)", "w -= lr * grad_fn(X_train[idx], y_train[idx], w) / len(idx)")]
LOSES = ["test_train_logistic_early_stopping"]
MAY_LOSE = ["test_logistic_accuracy"]
