"""train_softmax counts an epoch whose validation loss equals the best so far as an improvement (<= instead of <)."""
CELL = "train_softmax"
REPLACE = [("if val_loss < best_val:", "if val_loss <= best_val:")]
LOSES = ["test_train_softmax"]
MAY_LOSE = []
