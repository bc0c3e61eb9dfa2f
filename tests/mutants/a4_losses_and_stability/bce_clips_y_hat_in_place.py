"""bce clips the caller's y_hat in place (np.clip(..., out=y_hat)), so predictions of exactly 0 and 1 are changed."""
CELL = "bce"
REPLACE = [("p = np.clip(y_hat, eps, 1.0 - eps)", "p = np.clip(y_hat, eps, 1.0 - eps, out=y_hat)")]
LOSES = ["test_bce_clipping"]
MAY_LOSE = []
