"""weight_norms passes lam to train_fn as a fifth positional argument instead of the keyword lam=lam."""
CELL = "weight_norms"
REPLACE = [("W, _ = train_fn(X_train, Y_train, X_val, Y_val, lam=lam, **train_kwargs)", "W, _ = train_fn(X_train, Y_train, X_val, Y_val, lam, **train_kwargs)")]
LOSES = ["test_weight_norms"]
MAY_LOSE = []
