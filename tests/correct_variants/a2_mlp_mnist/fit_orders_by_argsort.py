"""fit drawing each epoch's order as np.argsort(rng.random(n)): another correct shuffle, so other orders than
rng.permutation's, which the MNIST accuracy threshold's margin must absorb."""
CELL = "net_classifier"
REPLACE = [("            order = rng.permutation(n)", "            order = np.argsort(rng.random(n))")]
