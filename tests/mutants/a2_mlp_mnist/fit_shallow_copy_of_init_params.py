"""fit copies the init_params dict but not its arrays (init_params.copy()): the in-place SGD steps overwrite
the caller's initial parameters."""
CELL = "net_classifier"
REPLACE = [("params = {name: value.copy() for name, value in init_params.items()}", "params = init_params.copy()")]
LOSES = ["test_fit"]
MAY_LOSE = []
