"""bce_sigmoid_grad returns the mean of s - y over the batch, a single number, instead of one gradient per sample."""
CELL = "bce_sigmoid_grad"
REPLACE = [("return sigmoid(z) - y", "return np.mean(sigmoid(z) - y)")]
LOSES = ["test_bce_sigmoid_grad"]
MAY_LOSE = []
