"""log_softmax as z minus log-sum-exp, with the maximum added back: z - (m + log(sum(exp(z - m))))."""
CELL = "log_softmax"
REPLACE = [("""    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))""", """    m = z.max(axis=-1, keepdims=True)
    lse = m + np.log(np.exp(z - m).sum(axis=-1, keepdims=True))
    return z - lse""")]
