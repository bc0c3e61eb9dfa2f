"""Seeded test inputs: random parameters by name, and values kept away from a kink.

Hidden tests feed student code random inputs drawn from a fixed seed, so that every run grades
the same numbers and a submission cannot be tuned to one hand-written example. Finite
differences are only valid where the function is smooth: a ReLU (or leaky ReLU) has a kink at
0, and a centred difference with step ``h`` across it measures neither slope. These helpers do
the drawing and the kink handling; what the inputs are used for (the reference maths) stays in
the hidden test cells.

The helpers take the instructor's values, never a student's, so they raise ``TypeError`` /
``ValueError`` for a mistake in a test rather than :class:`CheckFailure`. Arrays are drawn with
``Generator.normal`` in the order given, so a test that switches to them draws exactly the
numbers it drew before.
"""

import numpy as _numpy

from ._safe import (
    _FLOAT_SCALAR_TYPES,
    _INT_SCALAR_TYPES,
    _abs,
    _count_nonzero,
    _dict,
    _float,
    _float64,
    _int,
    _is_one_of,
    _len,
    _list,
    _ndarray,
    _np_abs,
    _np_array,
    _str,
    _tuple,
    _type,
    _type_name_of,
)

_Generator = _numpy.random.Generator
_default_rng = _numpy.random.default_rng


def _generator(rng):
    """A ``numpy.random.Generator`` from a Generator (used as is) or an int seed."""
    if _type(rng) is _Generator:
        return rng
    if _is_int(rng):
        return _default_rng(_int(rng))
    raise TypeError("rng must be a numpy.random.Generator or an int seed, "
                    f"not {_type_name_of(_type(rng))}")


def _is_int(d):
    return _type(d) is _int or _is_one_of(_type(d), _INT_SCALAR_TYPES)


def _shape_of(name, shape):
    """``shape`` as a tuple of Python ints (an int ``n`` is ``(n,)``); TypeError otherwise."""
    if _is_int(shape):
        return (_int(shape),)
    if _type(shape) is not _tuple and _type(shape) is not _list:
        raise TypeError(f"normal_params: the shape of {name!r} must be a tuple of ints")
    for d in shape:
        if not _is_int(d):
            raise TypeError(f"normal_params: the shape of {name!r} must be a tuple of ints, "
                            f"not {shape!r}")
    return _tuple(_int(d) for d in shape)


def normal_params(rng, shapes, *, scale=1.0):
    """Draw a dict of normally distributed float64 arrays, one per name, in order.

    ``normal_params(rng, {"W1": (5, 7), "b1": (1, 7)}, scale={"W1": 0.8, "b1": 0.3})`` is
    ``{"W1": rng.normal(scale=0.8, size=(5, 7)), "b1": rng.normal(scale=0.3, size=(1, 7))}``:
    the same draws, in the same order, as writing the dict out by hand.

    Parameters
    ----------
    rng : numpy.random.Generator or int
        The generator to draw from (it advances), or a seed for a new
        ``numpy.random.default_rng(seed)``.
    shapes : dict of str to tuple of int
        Name -> shape ``S_name`` of the array to draw (a tuple or list of ints, or an int
        ``n`` for ``(n,)``); the dict's order is the drawing order.
    scale : float or dict of str to float, default 1.0
        Standard deviation of every array, or name -> standard deviation with exactly the
        names of ``shapes``. The mean is 0.

    Returns
    -------
    dict of str to numpy.ndarray
        Name -> float64 array of shape ``S_name``, in the order of ``shapes``.

    Raises
    ------
    TypeError
        If ``rng`` is neither a Generator nor an int, ``shapes`` is not a dict, or a shape is
        not made of ints.
    ValueError
        If a ``scale`` dict does not have exactly the names of ``shapes``, or a scale is
        negative.
    """
    gen = _generator(rng)
    if _type(shapes) is not _dict:
        raise TypeError("normal_params: shapes must be a dict of name -> shape")
    if _type(scale) is _dict:
        same = _len(scale) == _len(shapes)
        for name in shapes:
            same = same and name in scale
        if not same:
            raise ValueError("normal_params: the scale dict must have exactly the names of shapes")
        scales = scale
    else:
        scales = {name: scale for name in shapes}
    params = {}
    for name in shapes:
        s = _float(scales[name])
        if not s >= 0.0:
            raise ValueError(f"normal_params: the scale of {name!r} must be >= 0, got {s!r}")
        params[name] = gen.normal(scale=s, size=_shape_of(name, shapes[name]))
    return params


def _float_copy(x, what):
    if _type(x) is _ndarray:
        if x.dtype.kind not in "biuf":
            raise TypeError(f"{what}: expected a numeric array, got dtype {_str(x.dtype)}")
        return _np_array(x, dtype=_float64, copy=True)
    cls = _type(x)
    if cls is _float or cls is _int or _is_one_of(cls, _FLOAT_SCALAR_TYPES) \
            or _is_one_of(cls, _INT_SCALAR_TYPES):
        return _np_array(x, dtype=_float64)
    raise TypeError(f"{what}: expected a numpy array or a number, not {_type_name_of(cls)}")


def clear_of_kink(z, margin, *, kink=0.0):
    """Whether every entry lies farther than ``margin`` from a kink.

    Use it to redraw random parameters until no ReLU pre-activation is within ``margin`` of
    0, so that finite differences with a step well below ``margin`` never straddle the kink.

    Parameters
    ----------
    z : numpy.ndarray or float
        Values at the kinked function's input (e.g. pre-activations ``X @ W1 + b1``), any
        shape ``S``.
    margin : float
        Smallest distance accepted (exclusive): ``|z - kink| > margin`` for every entry.
    kink : float, default 0.0
        Where the function is not differentiable.

    Returns
    -------
    bool
        True when every entry is strictly farther than ``margin`` from ``kink`` (also for an
        empty array); False when one is not, or is NaN.
    """
    d = _np_abs(_float_copy(z, "clear_of_kink") - _float(kink))
    ok = d > _float(margin)
    return _int(_count_nonzero(ok)) == _int(ok.size)


def away_from_kink(x, margin, *, to, kink=0.0):
    """A copy of ``x`` with every entry within ``margin`` of a kink replaced by ``to``.

    ``away_from_kink(z, 1e-3, to=0.5)`` is ``z.copy()`` after ``z[np.abs(z) < 1e-3] = 0.5``.

    Parameters
    ----------
    x : numpy.ndarray
        Numeric array of any shape ``S`` (not modified).
    margin : float
        Entries with ``|x - kink| < margin`` are replaced.
    to : float
        The replacement value; must itself be at least ``margin`` from ``kink``.
    kink : float, default 0.0
        Where the function is not differentiable.

    Returns
    -------
    numpy.ndarray
        float64, shape ``S``: no entry is closer than ``margin`` to ``kink``.

    Raises
    ------
    ValueError
        If ``to`` is itself within ``margin`` of ``kink``, or ``margin`` is negative.
    """
    margin = _float(margin)
    kink = _float(kink)
    to = _float(to)
    if not margin >= 0.0:
        raise ValueError(f"away_from_kink: margin must be >= 0, got {margin!r}")
    if not _abs(to - kink) >= margin:
        raise ValueError(f"away_from_kink: to={to!r} is itself within {margin!r} of the kink")
    out = _float_copy(x, "away_from_kink")
    out[_np_abs(out - kink) < margin] = to
    return out
