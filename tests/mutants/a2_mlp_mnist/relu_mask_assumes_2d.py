"""relu builds its 0/1 mask as a matrix of shape (x.shape[0], x.shape[1]): right for a 2-d x, but an array of
any other number of dimensions cannot be masked."""
CELL = "relu"
REPLACE = [("    return np.maximum(x, 0.0)\n",
            "    mask = np.zeros((x.shape[0], x.shape[1]))\n    mask[x > 0] = 1.0\n    return x * mask\n")]
LOSES = ["test_relu"]
MAY_LOSE = []
