"""fit trains a local copy of the parameters and never stores the result in self.params."""
CELL = "net_classifier"
REPLACE = [("        self.params = params\n", "        self.params = {name: value.copy() for name, value in init_params.items()}\n")]
LOSES = ["test_fit", "test_accuracy"]
MAY_LOSE = []
