"""Labels used as given: with shape (n,), y_hat - Y broadcasts (n, 1) - (n,) into an (n, n) matrix."""
CELL = "mlp"
REPLACE = [("Y = np.reshape(Y_batch, (n, -1))", "Y = Y_batch")]
LOSES = ["test_label_shapes"]
MAY_LOSE = []
