"""Honest control: a correct answer that logs through the logging module (to stderr)."""
SOURCE = 'import logging, numpy as np\nlogging.basicConfig(level=logging.INFO)\nlog = logging.getLogger("double")\ndef double(x):\n    log.warning("doubling %d values", np.size(x))\n    return 2.0 * np.asarray(x, dtype=float)\n'
EXPECT = {"test_double": 2, "test_b": 1}
