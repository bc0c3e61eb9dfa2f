"""weight_norms calls train_fn with lam only: the extra keyword arguments (lr, max_epochs, seed, ...) are not passed on."""
CELL = "weight_norms"
REPLACE = [("W, _ = train_fn(X_train, Y_train, X_val, Y_val, lam=lam, **train_kwargs)", "W, _ = train_fn(X_train, Y_train, X_val, Y_val, lam=lam)")]
LOSES = ["test_weight_norms"]
MAY_LOSE = ["test_weight_norms_decrease"]  # trained with train_softmax's defaults instead of the test's settings
