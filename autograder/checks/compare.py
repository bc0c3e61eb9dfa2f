"""Numerical comparison of a student's result with a hidden reference.

Failure messages show the student's value, the index, the relative error (two significant
digits) and the tolerance; never the reference value itself.
"""

from ._safe import (
    _FLOAT_MAX,
    _INF,
    _argmax,
    _asarray_kind,
    _bool,
    _errstate,
    _count_nonzero,
    _float,
    _float64,
    _int,
    _isnan,
    _maximum,
    _ndarray,
    _np_abs,
    _np_array,
    _str,
    _tuple,
    _type,
    _unravel_index,
)
from .arrays import _as_float64, _check_array, check_scalar
from .errors import _fail, _fmt_error, _fmt_index, _fmt_shape, _fmt_value


def _elementwise_relative_error(a, b, eps=1e-12):
    """``|a - b| / max(eps, |a| + |b|)`` per element, on trusted float64 arrays.

    Equal entries (including infinities of the same sign and NaN against NaN) give 0; any
    other non-finite result gives ``inf``, so that ``error > tol`` is always decided.
    """
    with _errstate_ignore():
        err = _np_array(_np_abs(a - b) / _maximum(eps, _np_abs(a) + _np_abs(b)),
                        dtype=_float64)
    same = _np_array((a == b) | (_isnan(a) & _isnan(b)))
    err[same] = 0.0
    err[~(err <= _FLOAT_MAX)] = _INF
    return err


def _errstate_ignore():
    return _errstate(all="ignore")


def relative_error(a, b, eps=1e-12):
    """Largest elementwise relative error between two arrays (or numbers).

    Parameters
    ----------
    a, b : numpy.ndarray or number
        Exact numpy arrays of a numeric dtype, or numbers accepted by :func:`check_scalar`;
        both of the same shape.
    eps : float, default 1e-12
        Lower bound of the denominator, so that two zeros compare as equal.

    Returns
    -------
    float
        ``max |a - b| / max(eps, |a| + |b|)`` over all elements, computed in float64;
        ``0.0`` for empty arrays and ``inf`` where one side is NaN/inf and the other is not.

    Raises
    ------
    CheckFailure
        If an argument is not an exact ndarray / accepted number, or the shapes differ.
    """
    fa = _as_float64(a, "a", "relative_error()")
    fb = _as_float64(b, "b", "relative_error()")
    if fa.shape != fb.shape:
        _fail("relative_error()", f"the arrays have different shapes {_fmt_shape(fa.shape)} "
                                  f"and {_fmt_shape(fb.shape)}.")
    if fa.size == 0:
        return 0.0
    return _float(_elementwise_relative_error(fa, fb, eps).max())


def check_close(actual, expected, name, *, rtol=1e-7, atol=1e-9, where="", hint="",
                dtype="auto"):
    """Check a student's result against a reference, elementwise, without revealing it.

    An entry passes when it equals the reference, or ``|a - e| <= atol``, or
    ``|a - e| / (|a| + |e|) <= rtol``.

    Parameters
    ----------
    actual : object
        The student's result. When ``expected`` is a scalar (0-d) it may be any number
        accepted by :func:`check_scalar`; otherwise an exact :class:`numpy.ndarray` of shape
        ``expected.shape``.
    expected : array_like
        The (trusted, hidden) reference, shape ``S``.
    name : str
        What the value is called in messages.
    rtol : float, default 1e-7
        Relative tolerance (on the symmetric relative error).
    atol : float, default 1e-9
        Absolute tolerance.
    where : str, optional
        The student function being tested; starts the message.
    hint : str, optional
        Appended to the failure message, e.g. where a typical mistake hides.
    dtype : {"auto", "float", "int", "numeric", "float64", None}, default "auto"
        dtype spec for :func:`check_array`; ``"auto"`` means ``"float"`` when ``expected``
        is floating point and ``"numeric"`` otherwise.

    Returns
    -------
    None

    Raises
    ------
    CheckFailure
        Type/shape/dtype problems (see :func:`check_array`) or values that differ: the
        message gives the number of differing entries, the worst index, the student's value
        there, its relative error and the tolerances.
    """
    kind = _asarray_kind(expected)
    e = _np_array(expected, dtype=_float64, copy=True)
    finite = _bool((_np_abs(e) <= _FLOAT_MAX).all())
    if dtype == "auto":
        dtype = "float" if kind in "fc" else "numeric"
    if e.ndim == 0:
        a = _np_array(check_scalar(actual, name, finite=finite, where=where), dtype=_float64)
    else:
        _check_array(actual, name, _tuple(e.shape), dtype, finite, where)
        a = _np_array(actual, dtype=_float64, copy=True)
    shape = _tuple(e.shape)
    a = a.reshape(-1)
    e = e.reshape(-1)
    rel = _elementwise_relative_error(a, e)
    with _errstate_ignore():
        ok = (rel == 0.0) | (_np_abs(a - e) <= atol) | (rel <= rtol)
    n_bad = _int(ok.size - _count_nonzero(ok))
    if not n_bad:
        return None
    masked = rel.copy()
    masked[ok] = -1.0
    flat = _int(_argmax(masked))
    index = _tuple(_int(i) for i in _unravel_index(flat, shape))
    where_txt = f" at index {_fmt_index(index)}" if shape else ""
    count_txt = f"{n_bad} of {_int(e.size)} entries differ" if shape else "the value differs"
    msg = (f"`{name}` does not match the reference: {count_txt}. Worst{where_txt}: "
           f"your value {_fmt_value(a[flat])}, relative error {_fmt_error(rel[flat])} "
           f"(tolerance: relative {rtol:g}, absolute {atol:g}).")
    if hint:
        msg += " " + _str(hint)
    _fail(where, msg)


def check_unchanged(before, after, name, where=""):
    """Check that a function did not modify one of its input arrays in place.

    Parameters
    ----------
    before : numpy.ndarray
        A copy of the input taken before the student's function was called, any shape ``S``.
    after : numpy.ndarray
        The very array object that was passed in, inspected after the call.
    name : str
        The argument's name in messages, e.g. ``"X"``.
    where : str, optional
        The student function being tested; starts the message.

    Returns
    -------
    None

    Raises
    ------
    CheckFailure
        If ``after`` differs from ``before`` in type, shape, dtype or any value (NaN equals
        NaN). The message gives the number of changed entries and the first index, not the
        original values.
    """
    fix = (f" Work on a copy (e.g. {name} = {name}.copy()) or avoid in-place operations "
           f"such as {name} -= ..., {name} *= ... or {name}[...] = ....")
    if _type(after) is not _ndarray:
        _fail(where, f"the input `{name}` is no longer a plain numpy array." + fix)
    b = _np_array(before, copy=True)
    if _tuple(after.shape) != _tuple(b.shape) or after.dtype != b.dtype:
        _fail(where, f"modified its input `{name}` in place: its shape/dtype changed to "
                     f"{_fmt_shape(after.shape)} {_str(after.dtype)}." + fix)
    same = after == b
    if b.dtype.kind in "fc":
        same = same | (_isnan(after) & _isnan(b))
    n_changed = _int(same.size - _count_nonzero(same))
    if n_changed:
        first = _tuple(_int(i) for i in _unravel_index(_int(_argmax(~same)), b.shape))
        _fail(where, f"modified its input `{name}` in place: {n_changed} of "
                     f"{_int(b.size)} entries changed (first at index {_fmt_index(first)})."
                     + fix)
    return None
