"""train_logistic stops only after patience + 1 epochs without improvement (> instead of >=)."""
CELL = "train_logistic"
REPLACE = [("if epochs_without_improvement >= patience:", "if epochs_without_improvement > patience:")]
LOSES = ["test_train_logistic_early_stopping"]
MAY_LOSE = []
