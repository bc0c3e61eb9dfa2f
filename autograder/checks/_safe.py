"""Trusted references, captured once when the check library is imported.

Student code runs in the same kernel as the hidden tests and may rebind builtins or numpy
functions (``builtins.abs = ...``, ``np.isfinite = ...``). Every check module imports the
names it needs from here, so a later rebinding does not change what the checks compute.
Type tests use identity (``is``), never ``==`` or ``in`` on sets, because a hostile
metaclass can make ``__eq__``/``__hash__`` lie.
"""

import numpy as _np

_type = type
_isinstance = isinstance
_issubclass = issubclass
_abs = abs
_float = float
_int = int
_str = str
_repr = repr
_len = len
_tuple = tuple
_list = list
_dict = dict
_range = range
_min = min
_max = max
_enumerate = enumerate
_BaseException = BaseException
_format = format
_bool = bool
_any = any
_zip = zip
_reversed = reversed
_getattr = getattr

# The real class name, even when a metaclass defines a lying ``__name__``.
_type_name_of = type.__dict__["__name__"].__get__

_ndarray = _np.ndarray
_np_array = _np.array
_float64 = _np.float64
_int64 = _np.int64
_dtype = _np.dtype
_isfinite = _np.isfinite
_isnan = _np.isnan
_isinf = _np.isinf
_np_abs = _np.abs
_maximum = _np.maximum
_argmax = _np.argmax
_argwhere = _np.argwhere
_unravel_index = _np.unravel_index
_count_nonzero = _np.count_nonzero
_median = _np.median
_zeros = _np.zeros
_nditer = _np.nditer
_errstate = _np.errstate
_FloatingPointError = FloatingPointError
_RuntimeWarning = RuntimeWarning
_OverflowError = OverflowError

_FLOAT_SCALAR_TYPES = _tuple(
    t for t in (_np.float16, _np.float32, _np.float64, _np.longdouble) if t is not None
)
_INT_SCALAR_TYPES = _tuple(
    getattr(_np, n)
    for n in (
        "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
        "byte", "ubyte", "short", "ushort", "intc", "uintc", "int_", "uint",
        "long", "ulong", "longlong", "ulonglong", "intp", "uintp",
    )
    if hasattr(_np, n)
)

_INF = _float("inf")
_FLOAT_MAX = 1.7976931348623157e308
_asarray = _np.asarray


def _asarray_kind(x):
    """``dtype.kind`` of a trusted array-like (the instructor's reference)."""
    if _type(x) is _ndarray:
        return x.dtype.kind
    return _asarray(x).dtype.kind


def _is_one_of(cls, candidates):
    """True when ``cls`` is (by identity) one of ``candidates``."""
    for c in candidates:
        if cls is c:
            return True
    return False
