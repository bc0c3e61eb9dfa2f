"""log-sum-exp shifted by the maximum of the whole array: rows far below it underflow to log(0)."""
CELL = "log_softmax"
REPLACE = [("shifted = z - np.max(z, axis=-1, keepdims=True)", "shifted = z - np.max(z)")]
LOSES = ["test_log_softmax_extreme"]
MAY_LOSE = []
