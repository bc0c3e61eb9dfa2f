"""tanh_prime factored as (1 - t)(1 + t) with t = tanh(x): the same derivative, another algebraic form."""
CELL = "tanh_prime"
REPLACE = [("    return 1.0 - np.tanh(x) ** 2", "    t = np.tanh(x)\n    return (1.0 - t) * (1.0 + t)")]
