"""``python -m autograder``."""

import sys

from .cli import main

if __name__ == "__main__":  # guard: Dask starts its workers with spawn, which re-imports this module
    sys.exit(main())
