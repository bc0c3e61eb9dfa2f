"""The failure type raised by every check, and the helpers that word its messages.

Messages are read by students inside their notebooks. They say what was expected, what came
back, and where to look. They may show the student's own values, shapes, dtypes, indices,
relative errors and tolerances, and never a hidden reference value.
"""

from ._safe import (
    _bool,
    _format,
    _float,
    _int,
    _issubclass,
    _len,
    _ndarray,
    _str,
    _tuple,
    _type,
    _type_name_of,
)


class CheckFailure(AssertionError):
    """A check found a problem in a student's result.

    A subclass of :class:`AssertionError`, so nbgrader counts the test cell as failed. The
    first line of the message starts with the ``where`` label (the student function being
    tested, e.g. ``"softmax()"``) when one was given.
    """


def _prefix(where):
    """Return ``"where: "`` or ``""`` when no label was given."""
    return (_str(where) + ": ") if where else ""


def _fail(where, text):
    """Raise :class:`CheckFailure` with ``text`` prefixed by the ``where`` label."""
    raise CheckFailure(_prefix(where) + text)


def _describe_type(value):
    """Describe the type of an untrusted value without calling any of its methods.

    Parameters
    ----------
    value : object
        Anything a student function returned.

    Returns
    -------
    str
        E.g. ``"a list"``, ``"None"``, ``"a numpy.matrix (a subclass of numpy.ndarray)"``.
    """
    if value is None:
        return "None (did you forget a `return` statement?)"
    cls = _type(value)
    name = _type_name_of(cls)
    if _len(name) > 60:
        name = name[:57] + "..."
    if cls is _ndarray:
        return "a numpy.ndarray"
    if _issubclass(cls, _ndarray):
        return f"a {name} (a subclass of numpy.ndarray, e.g. np.matrix)"
    if cls is _float:
        return "a float (a single number)"
    if cls is _int:
        return "an int (a single number)"
    if cls is _bool:
        return "a bool"
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def _fmt_shape(shape):
    """Format a shape tuple; ``None`` entries (any size) print as ``any``."""
    parts = _tuple("any" if d is None else _str(_int(d)) for d in shape)
    if _len(parts) == 1:
        return "(" + parts[0] + ",)"
    return "(" + ", ".join(parts) + ")"


def _fmt_index(index):
    """Format a ``multi_index`` tuple as ``(1, 2)``; 1-d as ``(3,)``; 0-d as ``()``."""
    return _fmt_shape(_tuple(_int(i) for i in index))


def _fmt_subscript(name, index):
    """Format ``W1[1, 2]`` for a parameter coordinate."""
    inner = ", ".join(_str(_int(i)) for i in index)
    return f"{name}[{inner}]"


def _fmt_value(x, digits=10):
    """Format one of the student's numbers (already a trusted Python float)."""
    return _format(_float(x), f".{digits}g")


def _fmt_error(x):
    """Format a relative error with two significant digits (enough to judge, little to leak)."""
    return _format(_float(x), ".2g")
