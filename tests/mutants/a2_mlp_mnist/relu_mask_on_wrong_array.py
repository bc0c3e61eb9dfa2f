"""The ReLU derivative applied to the upstream gradient (relu(d_a1)) instead of masking with z1 > 0."""
CELL = "net_classifier"
REPLACE = [("d_z1 = d_a1 * (z1 > 0)", "d_z1 = relu(d_a1)")]
LOSES = ["test_gradients_no_decay"]
# Training with a wrong gradient may or may not still fit the data.
MAY_LOSE = ["test_fit", "test_accuracy"]
