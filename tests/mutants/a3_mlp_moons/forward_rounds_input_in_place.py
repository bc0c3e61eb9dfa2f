"""forward converts X_batch to float32 precision in place (X_batch[...] = ...): the caller's array is changed."""
CELL = "mlp"
REPLACE = [("        p = self.params\n", "        X_batch[...] = X_batch.astype(np.float32)\n        p = self.params\n")]
LOSES = ["test_forward"]
MAY_LOSE = []
