"""bce_loss clips the caller's y_hat in place (np.clip(..., out=y_hat)), so predictions of exactly 0 and 1 are changed."""
CELL = "bce_loss"
REPLACE = [("    y_hat = np.clip(y_hat, 1e-12, 1.0 - 1e-12)\n", "    np.clip(y_hat, 1e-12, 1.0 - 1e-12, out=y_hat)\n")]
LOSES = ["test_bce_loss_edges"]
MAY_LOSE = []
