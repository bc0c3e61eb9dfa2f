"""sigmoid uses 1 / (1 + exp(-z)) for negative z too: exp overflows at z = -1000."""
CELL = 'sigmoid'
REPLACE = [('out[~pos] = exp_z / (1.0 + exp_z)', 'out[~pos] = 1.0 / (1.0 + np.exp(-z[~pos]))')]
LOSES = ['test_sigmoid_stability']
MAY_LOSE = []
