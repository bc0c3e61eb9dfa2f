"""tanh_prime as 1 / cosh(x)^2 without a guard: right values, but np.cosh(x) ** 2 overflows (with a warning) for |x| > 355."""
CELL = 'tanh_prime'
REPLACE = [('    return 1.0 - np.tanh(x) ** 2', '    return 1.0 / np.cosh(x) ** 2')]
LOSES = ['test_tanh_prime']
MAY_LOSE = []
