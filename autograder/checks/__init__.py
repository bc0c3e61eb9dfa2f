"""Checks called by the public and hidden nbgrader test cells inside student notebooks.

Every check raises :class:`CheckFailure` (an ``AssertionError``) with a message written for
the student: what was expected, what came back, and where to look. Messages never contain
hidden reference values.

Student code is untrusted: results are accepted only as exact ``numpy.ndarray`` objects (or
exact numeric scalar types, or exact dicts with str keys), and all arithmetic is done on float64
copies with functions captured when this package was imported.

Besides the checks, `autograder.checks.inputs` draws the seeded inputs that hidden tests feed
to student code (random parameters by name, values kept away from a ReLU kink) and
`aligned` brings a transposed result to the expected shape. The reference answers themselves
stay in the hidden test cells.
"""

from .arrays import aligned, check_array, check_scalar
from .compare import check_close, check_unchanged, relative_error
from .dicts import check_arrays, check_keys
from .errors import CheckFailure
from .gradients import check_gradient, numerical_gradient
from .inputs import away_from_kink, clear_of_kink, normal_params
from .metrics import check_accuracy
from .runtime import check_no_warnings
from .spy import recorder, replaced, stand_in

__all__ = [
    "CheckFailure",
    "aligned",
    "away_from_kink",
    "check_accuracy",
    "check_array",
    "check_arrays",
    "check_close",
    "check_gradient",
    "check_keys",
    "check_no_warnings",
    "check_scalar",
    "check_unchanged",
    "clear_of_kink",
    "normal_params",
    "numerical_gradient",
    "recorder",
    "relative_error",
    "replaced",
    "stand_in",
]
