"""train_softmax stops only after patience + 1 epochs without improvement (> instead of >=)."""
CELL = "train_softmax"
REPLACE = [("if epochs_without_improvement >= patience:", "if epochs_without_improvement > patience:")]
LOSES = ["test_train_softmax"]
MAY_LOSE = []
