"""bce_with_logits returns the sum of the per-sample losses instead of their mean."""
CELL = "bce_with_logits"
REPLACE = [("return float(np.mean(losses))", "return float(np.sum(losses))")]
LOSES = ["test_bce_with_logits", "test_bce_with_logits_extreme"]
MAY_LOSE = []
