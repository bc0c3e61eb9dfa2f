"""one_in_k_encoding by indexing the rows of the identity matrix: np.eye(k)[vec]."""
CELL = "one_in_k_encoding"
REPLACE = [("""    n = vec.shape[0]
    enc = np.zeros((n, k), dtype=np.float64)
    enc[np.arange(n), vec] = 1.0
    return enc""", """    return np.eye(k)[vec]""")]
