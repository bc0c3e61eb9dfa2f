"""fit shuffles the images but takes the labels in their original order (y_train[start:start + batch_size]),
so the mini-batches pair images with the wrong labels."""
CELL = "net_classifier"
REPLACE = [("self.cost_grad(X_train[idx], y_train[idx], params, c)",
            "self.cost_grad(X_train[idx], y_train[start:start + batch_size], params, c)")]
LOSES = ["test_fit", "test_accuracy"]
MAY_LOSE = []
