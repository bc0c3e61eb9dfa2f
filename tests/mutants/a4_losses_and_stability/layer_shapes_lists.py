"""layer_shapes gives every shape as a list, [D_a, D_x], instead of a tuple of ints."""
CELL = "layer_shapes"
REPLACE = [('"W1": (D_a, D_x),', '"W1": [D_a, D_x],'), ('"b1": (D_a, 1),', '"b1": [D_a, 1],'),
           ('"z1": (D_a, m),', '"z1": [D_a, m],'), ('"a1": (D_a, m),', '"a1": [D_a, m],'),
           ('"W2": (K, D_a),', '"W2": [K, D_a],'), ('"b2": (K, 1),', '"b2": [K, 1],'),
           ('"z2": (K, m),', '"z2": [K, m],'), ('"y_hat": (K, m),', '"y_hat": [K, m],')]
LOSES = ["test_layer_shapes"]
MAY_LOSE = []
