"""Checks called by the public and hidden nbgrader test cells inside student notebooks.

Every check raises :class:`CheckFailure` (an ``AssertionError``) with a message written for
the student: what was expected, what came back, and where to look. Messages never contain
hidden reference values.

Student code is untrusted: results are accepted only as exact ``numpy.ndarray`` objects (or
exact numeric scalar types), and all arithmetic is done on float64 copies with functions
captured when this package was imported.
"""

from .arrays import check_array, check_scalar
from .compare import check_close, check_unchanged, relative_error
from .errors import CheckFailure
from .gradients import check_gradient, numerical_gradient
from .metrics import check_accuracy
from .runtime import check_no_warnings
from .spy import recorder, replaced, stand_in

__all__ = [
    "CheckFailure",
    "check_accuracy",
    "check_array",
    "check_close",
    "check_gradient",
    "check_no_warnings",
    "check_scalar",
    "check_unchanged",
    "numerical_gradient",
    "recorder",
    "relative_error",
    "replaced",
    "stand_in",
]
