"""W2 given shape (K, K) instead of (K, D_a)."""
CELL = "layer_shapes"
REPLACE = [('"W2": (K, D_a),', '"W2": (K, K),')]
LOSES = ["test_layer_shapes"]
MAY_LOSE = []
