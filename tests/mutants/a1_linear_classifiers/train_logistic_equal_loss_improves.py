"""train_logistic counts an epoch whose validation loss equals the best so far as an improvement (<= instead of <): it never stops on a level loss and returns later weights."""
CELL = "train_logistic"
REPLACE = [("if val_loss < best_val:", "if val_loss <= best_val:")]
LOSES = ["test_train_logistic_early_stopping"]
MAY_LOSE = []
