"""Type, shape, dtype and finiteness checks for arrays and scalars returned by student code.

Only an exact :class:`numpy.ndarray` (``type(x) is np.ndarray``) is accepted as an array:
subclasses, lists and objects with lying ``__eq__``/``__array__``/``__float__`` are rejected
before any of their methods could run. Values are then read from a float64 copy.

`aligned` is no check: when one test cell grades a result's shape and others grade its values, it
brings a transposed matrix or a flattened column to the expected shape, so that a shape mistake
costs points in the shape test only.
"""

from ._safe import (
    _FLOAT_MAX,
    _abs,
    _count_nonzero,
    _float,
    _float64,
    _FLOAT_SCALAR_TYPES,
    _INT_SCALAR_TYPES,
    _argwhere,
    _int,
    _is_one_of,
    _isfinite,
    _isinf,
    _isnan,
    _len,
    _ndarray,
    _np_array,
    _OverflowError,
    _str,
    _tuple,
    _type,
    _reversed,
    _zip,
)
from .errors import _describe_type, _fail, _fmt_index, _fmt_shape

#: dtype spec -> (accepted ``dtype.kind`` letters, wording for messages)
_DTYPE_KINDS = {
    "float": ("f", "floating-point numbers (e.g. float64)"),
    "float64": ("f", "float64 numbers"),
    "int": ("iu", "integers (e.g. int64)"),
    "numeric": ("biuf", "numbers"),
    None: ("biufc", "numbers"),
}


def _dtype_hint(got_kind, want):
    """A suggestion for a dtype mismatch, or ``""``."""
    if got_kind == "O":
        return (" It holds Python objects rather than numbers: build it from numbers,"
                " e.g. np.array([...], dtype=float).")
    if want in ("float", "float64"):
        if got_kind == "b":
            return (" Comparisons such as x > 0 give booleans: convert with .astype(float)"
                    " if you need numbers.")
        if got_kind in "iu":
            return (" Integer arrays usually come from np.zeros(..., dtype=int) or integer"
                    " literals: use .astype(float) or create the array with float values.")
        if got_kind == "f" and want == "float64":
            return " Use .astype(np.float64) (or avoid float32 in your computation)."
    if want == "int" and got_kind == "f":
        return (" Class labels should be integers: e.g. np.argmax(scores, axis=1),"
                " or .astype(int).")
    return ""


def _shape_matches(got, want):
    if _len(got) != _len(want):
        return False
    for g, w in _zip(got, want):
        if w is not None and _int(g) != _int(w):
            return False
    return True


def _shape_hint(got, want):
    """A suggestion for a shape mismatch (transpose, missing/extra axis), or ``""``."""
    if _len(got) >= 2 and _shape_matches(_tuple(_reversed(got)), want):
        return " Did you transpose?"
    if _len(want) == 1 and _len(got) == 2 and 1 in got and _shape_matches((got[0] * got[1],), want):
        return " Flatten it with .ravel() (or do not use keepdims=True)."
    if _len(got) == 1 and _len(want) == 2 and want[1] == 1 and _shape_matches((got[0], 1), want):
        return " Keep the column axis: use keepdims=True or .reshape(-1, 1)."
    return ""


def _check_array(value, name, shape, dtype, finite, where, extra_dtype_hint=""):
    """Implementation of :func:`check_array` with an optional extra dtype hint."""
    if dtype not in _DTYPE_KINDS:
        raise ValueError(f"check_array: unknown dtype spec {dtype!r}")
    kinds, wording = _DTYPE_KINDS[dtype]
    want = f" of shape {_fmt_shape(shape)}" if shape is not None else ""
    if _type(value) is not _ndarray:
        _fail(where, f"expected `{name}` to be a numpy.ndarray{want} but got "
                     f"{_describe_type(value)}. Return a numpy array (e.g. np.array(...)).")
    got_dtype = value.dtype
    kind = got_dtype.kind
    if kind not in kinds or (dtype == "float64" and got_dtype.itemsize != 8):
        _fail(where, f"`{name}` has dtype {_str(got_dtype)} but {wording} are expected."
                     + (extra_dtype_hint or _dtype_hint(kind, dtype)))
    got_shape = _tuple(_int(d) for d in value.shape)
    if shape is not None and not _shape_matches(got_shape, _tuple(shape)):
        _fail(where, f"`{name}` has shape {_fmt_shape(got_shape)} but expected "
                     f"{_fmt_shape(shape)}." + _shape_hint(got_shape, _tuple(shape)))
    if finite and kind in "fc":
        ok = _isfinite(value)
        n_bad = _int(ok.size - _count_nonzero(ok))
        if n_bad:
            n_nan = _int(_count_nonzero(_isnan(value)))
            n_inf = _int(_count_nonzero(_isinf(value)))
            parts = []
            if n_nan:
                parts.append(f"{n_nan} NaN")
            if n_inf:
                parts.append(f"{n_inf} inf")
            first = _tuple(_int(i) for i in _argwhere(~ok)[0])
            _fail(where, f"`{name}` contains {' and '.join(parts)} value"
                         f"{'s' if n_bad > 1 else ''} (first at index {_fmt_index(first)});"
                         " look for overflow in exp(), log(0) or a division by zero.")
    return value


def check_array(value, name, *, shape=None, dtype="float", finite=True, where=""):
    """Check that a student's result is a plain numpy array of the right shape and dtype.

    Parameters
    ----------
    value : object
        The student's result. Must be exactly a :class:`numpy.ndarray` (not a subclass such as
        ``np.matrix``, not a list).
    name : str
        What the value is called in messages, e.g. ``"probs"``.
    shape : tuple of (int or None), optional
        Expected shape; ``None`` entries match any size. ``None`` (default) skips the check.
    dtype : {"float", "int", "numeric", "float64", None}, default "float"
        ``"float"``: any floating dtype; ``"int"``: signed or unsigned integers;
        ``"numeric"``: bool, integer or float; ``"float64"``: exactly float64;
        ``None``: any numeric dtype, complex included. Object dtype is always rejected.
    finite : bool, default True
        Require every entry to be finite (no NaN, no inf).
    where : str, optional
        The student function being tested, e.g. ``"softmax()"``; starts the message.

    Returns
    -------
    numpy.ndarray
        ``value`` itself, unchanged.

    Raises
    ------
    CheckFailure
        With a message saying what was expected and what came back.
    """
    return _check_array(value, name, shape, dtype, finite, where)


def _as_float64(value, name, where):
    """A float64 copy of an exact ndarray or exact numeric scalar; CheckFailure otherwise."""
    cls = _type(value)
    if cls is _ndarray:
        if value.dtype.kind not in "biuf":
            _fail(where, f"`{name}` has dtype {_str(value.dtype)} but numbers are expected."
                         + _dtype_hint(value.dtype.kind, "numeric"))
        return _np_array(value, dtype=_float64, copy=True)
    return _np_array(check_scalar(value, name, finite=False, where=where), dtype=_float64)


def check_scalar(value, name, *, finite=True, where=""):
    """Check that a student's result is a single real number and return it as a float.

    Parameters
    ----------
    value : object
        Accepted: exactly ``float``, ``int`` (not ``bool``), a numpy floating or integer
        scalar of an exact numpy type (``np.float64``, ``np.float32``, ``np.int64``, ...), or
        an exact :class:`numpy.ndarray` of integer/float dtype with exactly one element
        (shape ``()`` or e.g. ``(1,)``/``(1, 1)``). Anything else, including objects
        defining ``__float__``, is rejected without calling their methods.
    name : str
        What the value is called in messages, e.g. ``"loss"``.
    finite : bool, default True
        Require the value to be finite.
    where : str, optional
        The student function being tested; starts the message.

    Returns
    -------
    float
        The value as a Python float.

    Raises
    ------
    CheckFailure
        If the value is not an accepted number (or not finite when required).
    """
    cls = _type(value)
    if cls is _float or _is_one_of(cls, _FLOAT_SCALAR_TYPES) or _is_one_of(cls, _INT_SCALAR_TYPES):
        result = _float(value)
    elif cls is _int:
        try:
            result = _float(value)
        except _OverflowError:
            _fail(where, f"`{name}` is an int too large to be a float.")
    elif cls is _ndarray:
        if value.dtype.kind not in "iuf":
            _fail(where, f"`{name}` should be a single number but is a numpy array of dtype "
                         f"{_str(value.dtype)}." + _dtype_hint(value.dtype.kind, "float"))
        if value.size != 1:
            _fail(where, f"`{name}` should be a single number but is an array of shape "
                         f"{_fmt_shape(value.shape)}: did you forget to sum or average "
                         "(e.g. np.sum(...) or np.mean(...))?")
        result = _float(_np_array(value, dtype=_float64, copy=True).reshape(-1)[0])
    else:
        _fail(where, f"`{name}` should be a single number (a float) but got "
                     f"{_describe_type(value)}. Return a float, e.g. float(np.sum(...)).")
    if finite and not (_abs(result) <= _FLOAT_MAX):
        _fail(where, f"`{name}` is {result!r}, not a finite number; "
                     "look for overflow in exp(), log(0) or a division by zero.")
    return result


def aligned(value, shape):
    """Bring a result of the wrong orientation to ``shape``, leaving anything else as it is.

    A 2-d array of the transposed shape is transposed; a 1-d array whose size fits a column
    or row ``shape`` (``(d, 1)`` or ``(1, d)``) is reshaped to it. Every other value is
    returned unchanged (the same object), so the checks that follow report it as they would
    have. The dtype is never changed.

    Parameters
    ----------
    value : object
        The student's result, e.g. a weight gradient of shape ``(m, n)`` where ``(n, m)`` is
        expected, or a bias gradient of shape ``(d,)`` where ``(d, 1)`` is expected.
    shape : tuple of int
        The expected shape ``S``.

    Returns
    -------
    object
        A view (or reshaped copy) of ``value`` with shape ``S`` in the two cases above,
        otherwise ``value`` itself.
    """
    want = _tuple(_int(d) for d in shape)
    if _type(value) is not _ndarray:
        return value
    got = _tuple(_int(d) for d in value.shape)
    if got == want:
        return value
    if _len(got) == 2 and got == _tuple(_reversed(want)):
        return value.T
    if _len(got) == 1 and _len(want) == 2 and 1 in want and got[0] == want[0] * want[1]:
        return value.reshape(want)
    return value
