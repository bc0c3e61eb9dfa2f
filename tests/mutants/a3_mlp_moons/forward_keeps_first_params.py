"""forward keeps a copy of the parameter dict from its first call and reads that copy afterwards: updates are ignored."""
CELL = "mlp"
REPLACE = [("        p = self.params\n", '        p = self.cache.setdefault("params", dict(self.params))\n')]
# every test sets net.params before the first forward call; only the training run updates them in between
LOSES = ["test_accuracy"]
MAY_LOSE = []
