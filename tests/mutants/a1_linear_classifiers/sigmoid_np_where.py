"""sigmoid picks the stable branch with np.where, which still evaluates both branches everywhere (overflow warnings)."""
CELL = 'sigmoid'
REPLACE = [('    out = np.empty_like(z)\n', '    return np.where(z >= 0, 1.0 / (1.0 + np.exp(-z)), np.exp(z) / (1.0 + np.exp(z)))\n')]
LOSES = ['test_sigmoid_stability']
MAY_LOSE = []
