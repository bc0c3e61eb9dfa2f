"""sigmoid written as 1 / (1 + exp(-z)): exp overflows (numpy warns) for z = -1000."""
CELL = "sigmoid"
REPLACE = [("    e = np.exp(-np.abs(z))\n    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))",
            "    return 1.0 / (1.0 + np.exp(-z))")]
LOSES = ["test_sigmoid_stability"]
MAY_LOSE = []
