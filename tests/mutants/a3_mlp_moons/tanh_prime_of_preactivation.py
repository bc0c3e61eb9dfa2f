"""tanh_prime written as 1 - x**2 on the pre-activation x (the formula that is right only for x = tanh(z))."""
CELL = "tanh_prime"
REPLACE = [("return 1.0 - np.tanh(x) ** 2", "return 1.0 - x ** 2")]
LOSES = ["test_tanh_prime"]
MAY_LOSE = []
