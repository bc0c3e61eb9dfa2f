"""b1 and b2 given as 1-D shapes, (D_a,) and (K,), instead of columns (D_a, 1) and (K, 1): numpy would broadcast them along the examples."""
CELL = "layer_shapes"
REPLACE = [('"b1": (D_a, 1),', '"b1": (D_a,),'), ('"b2": (K, 1),', '"b2": (K,),')]
LOSES = ["test_layer_shapes"]
MAY_LOSE = []
