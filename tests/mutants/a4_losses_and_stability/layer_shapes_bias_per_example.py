"""b1 given one column per example, (D_a, m), instead of one value per unit, (D_a, 1)."""
CELL = "layer_shapes"
REPLACE = [('"b1": (D_a, 1),', '"b1": (D_a, m),')]
LOSES = ["test_layer_shapes"]
MAY_LOSE = []
