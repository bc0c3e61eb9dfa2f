"""sigmoid with np.where over the two textbook forms: numpy evaluates both branches, so exp still overflows."""
CELL = "sigmoid"
REPLACE = [("    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
            "    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))")]
LOSES = ["test_sigmoid_stability"]
MAY_LOSE = []
