"""cross_entropy_loss as the total over all entries divided by the number of examples, with np.maximum clipping."""
CELL = "cross_entropy_loss"
REPLACE = [("""    log_p = np.log(np.clip(Y_hat, 1e-12, 1.0))
    return float(-np.mean(np.sum(Y * log_p, axis=1)))""", """    log_p = np.log(np.maximum(Y_hat, 1e-12))
    return -np.sum(Y * log_p) / Y.shape[0]""")]
