"""bce without clipping y_hat: log(0) = -inf (and 0 * -inf = nan) when y_hat is exactly 0 or 1."""
CELL = "bce"
REPLACE = [("p = np.clip(y_hat, eps, 1.0 - eps)", "p = y_hat")]
LOSES = ["test_bce_clipping"]
MAY_LOSE = []
