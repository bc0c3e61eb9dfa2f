"""train_logistic records the loss of the epoch's last mini-batch as history['train_loss'], not the mean cross-entropy on the whole training set."""
CELL = "train_logistic"
REPLACE = [("history[\"train_loss\"].append(bce_loss(y_train, sigmoid(X_train @ w)))",
            "history[\"train_loss\"].append(bce_loss(y_train[idx], sigmoid(X_train[idx] @ w)))")]
LOSES = ["test_train_logistic_early_stopping"]
MAY_LOSE = []
