"""train_softmax records the training loss with the L2 penalty added; history['train_loss'] must be the mean cross-entropy without the penalty."""
CELL = "train_softmax"
REPLACE = [("history[\"train_loss\"].append(cross_entropy_loss(Y_train, softmax(X_train @ W)))",
            "history[\"train_loss\"].append(cross_entropy_loss(Y_train, softmax(X_train @ W)) + lam * np.sum(W[:-1] ** 2))")]
LOSES = ["test_train_softmax"]
MAY_LOSE = []
