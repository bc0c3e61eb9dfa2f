"""fit records as train_loss the cost on the whole training set after the epoch instead of the mean of the
epoch's mini-batch costs."""
CELL = "net_classifier"
REPLACE = [('history["train_loss"].append(float(np.mean(batch_costs)))',
            'history["train_loss"].append(self.cost_grad(X_train, y_train, params, c)[0])')]
LOSES = ["test_fit"]
MAY_LOSE = []
