"""Numerical gradients and the gradient check used on student backpropagation code.

The numerical gradient perturbs the parameter array in place, so the student's cost
function (which closes over that array) sees each change; every coordinate is restored to
its exact original value even when the cost function raises.
"""

from ._safe import (
    _abs,
    _argmax,
    _count_nonzero,
    _dict,
    _float,
    _float64,
    _int,
    _list,
    _max,
    _median,
    _ndarray,
    _nditer,
    _np_abs,
    _np_array,
    _repr,
    _str,
    _tuple,
    _type,
    _unravel_index,
    _zeros,
)
from .arrays import _check_array, check_scalar
from .compare import _elementwise_relative_error
from .errors import _describe_type, _fail, _fmt_error, _fmt_subscript, _fmt_value

_EPS64 = 2.220446049250313e-16


def _require_float64_array(x, name, where):
    if _type(x) is not _ndarray or x.dtype.kind != "f" or x.dtype.itemsize != 8:
        got = f"dtype {_str(x.dtype)}" if _type(x) is _ndarray else "not a plain numpy array"
        _fail(where, f"`{name}` must be a float64 numpy array to be differentiated numerically "
                     f"(it is {got}). Create parameters with float values, e.g. "
                     "np.random.randn(...) or .astype(np.float64); float32 or integer arrays "
                     "are too coarse for finite differences.")
    if not x.flags.writeable:
        _fail(where, f"`{name}` is read-only, so it cannot be perturbed; pass a writeable array.")


def _numerical_gradient(f, x, h, name, where):
    """Implementation of :func:`numerical_gradient` with message labels."""
    _require_float64_array(x, name, where)
    h = _float(h)
    if not (0.0 < h < 1.0):
        raise ValueError("numerical_gradient: h must be in (0, 1)")
    grad = _zeros(x.shape, dtype=_float64)
    what = "the cost returned by f" if not where else "the cost"
    it = _nditer(x, flags=["multi_index", "zerosize_ok"], op_flags=[["readonly"]])
    while not it.finished:
        index = it.multi_index
        old = x[index]  # a numpy float64 scalar: restores the exact bits
        x_plus = old + h
        x_minus = old - h
        try:
            x[index] = x_plus
            f_plus = check_scalar(f(), f"{what} (with {_fmt_subscript(name, index)} + h)",
                                  where=where)
            x[index] = x_minus
            f_minus = check_scalar(f(), f"{what} (with {_fmt_subscript(name, index)} - h)",
                                   where=where)
        finally:
            x[index] = old
        grad[index] = (f_plus - f_minus) / _float(x_plus - x_minus)
        it.iternext()
    return grad


def numerical_gradient(f, x, *, h=1e-6):
    """Centred finite-difference gradient of a scalar function of an array.

    Parameters
    ----------
    f : callable
        Called with no arguments; reads ``x`` (e.g. a closure) and returns a number accepted
        by :func:`check_scalar`.
    x : numpy.ndarray
        Exact float64 array of any shape ``S``; perturbed in place, one coordinate at a
        time, and restored bit-for-bit (also when ``f`` raises; the exception propagates).
    h : float, default 1e-6
        Step size.

    Returns
    -------
    numpy.ndarray
        float64, shape ``S``: ``(f(x + h e_i) - f(x - h e_i)) / (2h)`` for each coordinate
        ``i`` (the denominator is the step actually representable in float64).

    Raises
    ------
    CheckFailure
        If ``x`` is not a writeable float64 ndarray, or ``f`` returns something other than a
        finite number.
    """
    return _numerical_gradient(f, x, h, "x", "")


def _gradient_hints(analytic, numeric, atol, tol, batch_size):
    """Diagnoses of common backprop mistakes from the pattern of the mismatch."""
    hints = []
    if not _count_nonzero(analytic):
        hints.append("your gradient is all zeros: did you fill it in and return the "
                     "computed array (not a fresh np.zeros_like)?")
        return hints
    if not _count_nonzero(numeric):
        hints.append("the numerical gradient is zero, so the cost does not depend on this "
                     "array: does the cost function read these parameters (not a copy)?")
        return hints
    scale = _float(_np_abs(numeric).max())
    mask = _np_abs(numeric) > _max(10.0 * atol, 1e-3 * scale)
    if _count_nonzero(mask):
        ratio = _float(_median(analytic[mask] / numeric[mask]))

        def near(target):
            return _abs(ratio - target) <= 0.05 * _abs(target)

        if near(2.0) or near(0.5):
            hints.append("a factor 2 is off: d/dW of lam*sum(W**2) is 2*lam*W, and "
                         "d/dx of x**2 is 2*x.")
        if batch_size and _int(batch_size) > 1 and (near(_float(batch_size))
                                                    or near(1.0 / _float(batch_size))):
            hints.append(f"off by a factor of the batch size ({_int(batch_size)}): looks like "
                         "a sum over the batch where a mean is expected (or the reverse).")
        if near(-1.0):
            hints.append("the sign is flipped: the gradient points uphill; check a "
                         "subtraction such as (y - p) versus (p - y).")
    if analytic.ndim == 2 and analytic.shape[0] == analytic.shape[1] and analytic.shape[0] > 1:
        rel_t = _elementwise_relative_error(analytic, numeric.T)
        bad_t = (rel_t > tol) & (_np_abs(analytic - numeric.T) > atol)
        if not _count_nonzero(bad_t):
            hints.append("your gradient is the transpose of the right one: check the order "
                         "of the matrix product (e.g. X.T @ delta versus delta.T @ X).")
    return hints


def check_gradient(f, params, grads, *, keys=None, h=1e-6, tol=1e-6, batch_size=None,
                   where="", atol=None):
    """Compare a student's analytic gradients with numerical gradients of the same cost.

    Parameters
    ----------
    f : callable
        Called with no arguments; returns the cost (a number) computed from the arrays in
        ``params``, which are perturbed in place.
    params : dict of str to numpy.ndarray
        Parameter name -> exact float64 array that ``f`` reads, shape ``S_name``.
    grads : dict
        The student's analytic gradients: grad name -> ndarray of shape ``S_name``.
    keys : dict of str to str, optional
        Maps parameter names to gradient names, e.g. ``{"W1": "d_w1"}``; names not listed
        (and all names when ``None``) map to themselves.
    h : float, default 1e-6
        Finite-difference step.
    tol : float, default 1e-6
        Largest accepted elementwise relative error ``|a - n| / (|a| + |n|)``.
    batch_size : int, optional
        The batch size behind the cost, used to recognise sum-versus-mean mistakes.
    where : str, optional
        The student function being tested, e.g. ``"NetClassifier.cost_grad"``.
    atol : float, optional
        Differences below this are finite-difference noise and never fail. Default:
        ``100 * eps * max(1, |cost|) / h`` (about 2e-8 for a cost near 1).

    Returns
    -------
    dict of str to float
        Parameter name -> largest relative error over its coordinates.

    Raises
    ------
    CheckFailure
        If a gradient is missing, has the wrong type/shape/dtype, or a coordinate exceeds both
        ``tol`` (relative) and ``atol`` (absolute). The message names the parameter, the worst
        coordinate, the analytic and numerical values there, the relative error, the
        tolerance and, when the pattern is recognised, a hint.
    """
    if _type(params) is not _dict:
        raise TypeError("check_gradient: params must be a dict of name -> float64 array")
    if _type(grads) is not _dict:
        _fail(where, f"the gradients should be a dict (name -> numpy array) but got "
                     f"{_describe_type(grads)}.")
    # Validate and copy every analytic gradient before the cost is evaluated even once: a
    # cost function may reuse (and overwrite) the arrays it returned.
    checked = []
    for pname in _list(params):
        p = params[pname]
        _require_float64_array(p, pname, where)
        gname = keys.get(pname, pname) if keys else pname
        label = f"grads[{_repr(gname)}]"
        if gname not in grads:
            present = ", ".join(_repr(k) for k in grads if _type(k) is _str)
            _fail(where, f"{label} (the gradient for parameter '{pname}') is missing; "
                         f"the gradients returned have keys: {present or 'none'}.")
        _check_array(grads[gname], label, _tuple(p.shape), "float", True, where)
        checked.append((pname, gname, label, p,
                        _np_array(grads[gname], dtype=_float64, copy=True)))
    cost0 = check_scalar(f(), "the cost", where=where)
    if atol is None:
        atol = 100.0 * _EPS64 * _max(1.0, _abs(cost0)) / _float(h)
    errors = {}
    for pname, gname, label, p, analytic in checked:
        numeric = _numerical_gradient(f, p, h, pname, where)
        rel = _elementwise_relative_error(analytic, numeric)
        bad = (rel > tol) & (_np_abs(analytic - numeric) > atol)
        errors[pname] = _float(rel.max()) if rel.size else 0.0
        n_bad = _int(_count_nonzero(bad))
        if not n_bad:
            continue
        masked = rel.copy()
        masked[~bad] = -1.0
        index = _tuple(_int(i) for i in _unravel_index(_int(_argmax(masked)), rel.shape))
        msg = (f"the analytic gradient {label} for parameter '{pname}' does not match "
               f"the numerical gradient of your cost ({n_bad} of {_int(rel.size)} "
               f"coordinates differ).\n"
               f"  worst coordinate {_fmt_subscript(pname, index)}: analytic "
               f"{_fmt_value(analytic[index], 8)}, numeric {_fmt_value(numeric[index], 8)}\n"
               f"  relative error {_fmt_error(rel[index])} > tolerance {tol:g}")
        for hint in _gradient_hints(analytic, numeric, atol, tol, batch_size):
            msg += "\n  Hint: " + hint
        _fail(where, msg)
    return errors
