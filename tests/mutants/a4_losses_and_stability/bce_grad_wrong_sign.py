"""The BCE gradient with respect to the logit with the wrong sign, y - sigmoid(z)."""
CELL = "bce_sigmoid_grad"
REPLACE = [("return sigmoid(z) - y", "return y - sigmoid(z)")]
LOSES = ["test_bce_sigmoid_grad"]
MAY_LOSE = []
