"""bce_loss takes the log of y_hat without clipping: log(0) gives inf / nan at y_hat = 0 or 1."""
CELL = 'bce_loss'
REPLACE = [('    y_hat = np.clip(y_hat, 1e-12, 1.0 - 1e-12)\n', '')]
LOSES = ['test_bce_loss_edges']
MAY_LOSE = []
