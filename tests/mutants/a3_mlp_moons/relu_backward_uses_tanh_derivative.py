"""backward ignores the activation option and always multiplies by tanh_prime(Z0), also for relu."""
CELL = "mlp"
REPLACE = [('act_prime = tanh_prime if self.activation == "tanh" else relu_prime', "act_prime = tanh_prime")]
LOSES = ["test_relu_backward"]
MAY_LOSE = []
