"""sigmoid through tanh, (1 + tanh(z / 2)) / 2: another exact algebraic form that never exponentiates."""
CELL = "sigmoid"
REPLACE = [("""    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))""", """    return 0.5 * (1.0 + np.tanh(0.5 * z))""")]
