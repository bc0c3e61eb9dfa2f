"""tanh_prime as sech(x)^2 = 1 / cosh(x)^2, with the overflow of cosh at large |x| silenced (its result, 0, is right)."""
CELL = "tanh_prime"
REPLACE = [("    return 1.0 - np.tanh(x) ** 2", "    with np.errstate(over=\"ignore\"):\n        return 1.0 / np.cosh(x) ** 2")]
