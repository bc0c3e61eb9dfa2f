"""train_logistic never resets the count of epochs without improvement after a new best: it stops after `patience` bad epochs in total, not in a row."""
CELL = "train_logistic"
REPLACE = [("            epochs_without_improvement = 0\n        else:", "        else:")]
LOSES = ["test_train_logistic_early_stopping"]
MAY_LOSE = []
