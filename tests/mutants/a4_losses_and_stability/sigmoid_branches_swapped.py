"""sigmoid with the two stable forms swapped, e / (1 + e) where z >= 0: it returns sigmoid(-z) = 1 - sigmoid(z)."""
CELL = "sigmoid"
REPLACE = [("return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))", "return np.where(z >= 0, e / (1.0 + e), 1.0 / (1.0 + e))")]
LOSES = ["test_sigmoid", "test_sigmoid_stability"]
MAY_LOSE = ["test_mse_sigmoid_grad", "test_bce_sigmoid_grad"]  # both gradients call sigmoid
