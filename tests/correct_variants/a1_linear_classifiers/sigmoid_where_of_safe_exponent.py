"""sigmoid with np.where over two branches that only exponentiate -|z| (both branches are safe everywhere)."""
CELL = "sigmoid"
REPLACE = [("""    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1.0 / (1.0 + np.exp(-z[pos]))
    exp_z = np.exp(z[~pos])
    out[~pos] = exp_z / (1.0 + exp_z)
    return out""", """    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))""")]
