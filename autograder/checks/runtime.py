"""Running student code with numerical problems turned into clear failures."""

import types as _types
import warnings as _warnings

from ._safe import (
    _FloatingPointError,
    _OverflowError,
    _RuntimeWarning,
    _errstate,
    _getattr,
    _str,
    _tuple,
    _type,
    _type_name_of,
)
from .errors import CheckFailure, _prefix

_FunctionType = _types.FunctionType

_catch_warnings = _warnings.catch_warnings
_simplefilter = _warnings.simplefilter


def _advice(text):
    """Where to look, given numpy's error text (e.g. "overflow encountered in exp")."""
    low = text.lower()
    if "overflow" in low and "exp" in low:
        return ("exp() of a large number overflows: subtract the row maximum before exp() "
                "(softmax), or use a numerically stable formula.")
    if "divide by zero" in low and "log" in low:
        return ("log(0) is -inf: clip probabilities first, e.g. "
                "np.log(np.maximum(p, 1e-12)).")
    if "divide by zero" in low:
        return "a division by zero: check for denominators that can be 0."
    if "invalid" in low:
        return ("a NaN appeared (e.g. inf - inf, 0/0, inf/inf or log of a negative "
                "number): look for exp() of large numbers or log(0).")
    return "look for exp() of large numbers or log(0)."


def check_no_warnings(fn, *args, where="", **kwargs):
    """Call ``fn(*args, **kwargs)`` and fail on floating-point overflow, division or NaN.

    Runs under ``np.errstate(over="raise", divide="raise", invalid="raise")`` (underflow to
    0 is harmless and stays allowed, so a stable softmax of very negative inputs passes) and
    turns every ``RuntimeWarning`` into an error.

    Parameters
    ----------
    fn : callable
        The student function, e.g. ``softmax``.
    *args, **kwargs
        Passed to ``fn``. (``where`` is taken by this function, not passed on.)
    where : str, optional
        Label for messages, e.g. ``"softmax()"``; defaults to ``fn``'s name.

    Returns
    -------
    object
        Whatever ``fn`` returned.

    Raises
    ------
    CheckFailure
        If ``fn`` triggered a floating-point error, a ``RuntimeWarning`` or an
        ``OverflowError``; the message quotes the error text and says where to look.
    """
    if not where:
        name = _getattr(fn, "__name__", None) if _type(fn) is _FunctionType else None
        where = (name + "()") if _type(name) is _str else "the function"
    with _catch_warnings():
        _simplefilter("error", _RuntimeWarning)
        with _errstate(over="raise", divide="raise", invalid="raise", under="ignore"):
            try:
                # under the judge, the student's function runs in the kernel: the same settings apply there
                strict = _getattr(_type(fn), "__judge_call_strict__", None)
                if strict is not None:
                    return strict(fn, args, kwargs)
                return fn(*args, **kwargs)
            except (_FloatingPointError, _RuntimeWarning, _OverflowError) as exc:
                args = exc.args
                if _type(args) is _tuple and args and _type(args[0]) is _str:
                    problem = args[0][:200]
                else:
                    problem = _type_name_of(_type(exc))
            # leave the except block so the student's traceback is not chained
    raise CheckFailure(f"{_prefix(where)}a floating-point problem occurred (numpy reported: "
                       f"{problem}). {_advice(problem)}")
