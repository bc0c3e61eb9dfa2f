"""Checks of dicts returned by student code: parameters and gradients stored by name.

Networks in this course keep their parameters and gradients in dicts (``{"W1": ..., "b1":
...}``, ``{"d_w1": ..., ...}``). A hidden test first needs the dict to be a dict, with the keys
the notebook asks for, holding arrays of the right shapes, before it can compare any values;
written out by hand in every test cell, those checks drift apart and their messages with them.

Only an exact ``dict`` with exact ``str`` keys is accepted: a subclass could lie about its
contents, and a key of another type (``np.str_`` included) is named in the message instead of
being compared, so no method of the student's keys or values ever runs. The keys expected are
part of the assignment's text, so messages may name them; they never show a reference value.
"""

from ._safe import _dict, _len, _list, _repr, _str, _tuple, _type, _type_name_of
from .arrays import _check_array
from .errors import _describe_type, _fail


def _fmt_keys(keys):
    """``'a', 'b' and 'c'`` for messages."""
    parts = [_repr(k) for k in keys]
    if _len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _key_label(key):
    """A key of the student's dict, described without calling any of its methods."""
    if _type(key) is _str:
        return _repr(key)
    return f"<{_type_name_of(_type(key))[:40]} key>"


def check_keys(value, name, keys, *, exact=True, where=""):
    """Check that a student's result is a dict with the expected keys.

    Parameters
    ----------
    value : object
        The student's result. Must be exactly a ``dict`` (not a subclass) whose keys are
        exactly ``str``.
    name : str
        What the dict is called in messages, e.g. ``"grads"``.
    keys : iterable of str
        The keys the dict must have, in the order the notebook lists them.
    exact : bool, default True
        Also reject keys that are not in ``keys``. With ``False`` extra keys are allowed
        (another test checks for them) and only missing keys fail.
    where : str, optional
        The student function being tested, e.g. ``"MLP.backward"``; starts the message.

    Returns
    -------
    dict
        ``value`` itself, unchanged.

    Raises
    ------
    CheckFailure
        If ``value`` is not a dict, or a key is missing (or, with ``exact``, unexpected). The
        message names every missing and every unexpected key and lists the expected ones.
    """
    want = _list(keys)
    listed = ", ".join(_str(k) for k in want)
    if _type(value) is not _dict:
        _fail(where, f"expected `{name}` to be a dict with the keys {listed} but got "
                     f"{_describe_type(value)}.")
    present = [k for k in value if _type(k) is _str]
    missing = [k for k in want if k not in present]
    extra = [] if not exact else [k for k in value if _type(k) is not _str or k not in want]
    if not missing and not extra:
        return value
    problems = []
    if missing:
        problems.append(f"it is missing {'the key' if _len(missing) == 1 else 'the keys'} "
                        f"{_fmt_keys(missing)}")
    unexpected = [k for k in extra if _type(k) is _str]
    if unexpected:
        problems.append(f"{'the key' if _len(unexpected) == 1 else 'the keys'} "
                        f"{_fmt_keys(unexpected[:5])}{' (and more)' if _len(unexpected) > 5 else ''} "
                        f"{'is' if _len(unexpected) == 1 else 'are'} not expected")
    if _len(unexpected) < _len(extra):
        example = _repr(want[0]) if want else "'W1'"
        problems.append(f"it has a key that is not a str (keys must be strings such as {example})")
    got = ", ".join(_key_label(k) for k in _list(value)[:12]) or "none"
    if _len(value) > 12:
        got += ", ..."
    rule = "exactly the keys" if exact else "the keys"
    _fail(where, f"`{name}` must have {rule} {listed}; {'; '.join(problems)}. "
                 f"It has the keys: {got}.")


def check_arrays(value, name, shapes, *, dtype="float", finite=True, exact=True, suffix="",
                 where=""):
    """Check a dict of named arrays: its keys, then each array's type, dtype and shape.

    Parameters
    ----------
    value : object
        The student's result, e.g. the gradients ``{"dW0": ..., "db0": ...}``. Must be an exact
        ``dict`` with exact ``str`` keys.
    name : str
        What the dict is called in messages, e.g. ``"grads"``; an entry is called
        ``grads['dW0']``.
    shapes : dict of str to (tuple of (int or None) or None)
        Key -> expected shape ``S_key`` of its array (``None`` entries match any size; a
        shape of ``None`` checks type and dtype only). Keys are checked in this order.
    dtype : {"float", "int", "numeric", "float64", None}, default "float"
        dtype spec of every array, as in :func:`check_array`.
    finite : bool, default True
        Require every entry to be finite.
    exact : bool, default True
        Reject keys that are not in ``shapes`` (see :func:`check_keys`).
    suffix : str, optional
        Appended to each entry's name in messages, e.g. ``"after fit"`` gives
        ``self.params['W1'] after fit``.
    where : str, optional
        The student function being tested; starts the message.

    Returns
    -------
    dict of str to numpy.ndarray
        Key -> the student's array (the same object, not a copy), in the order of ``shapes``.

    Raises
    ------
    CheckFailure
        From :func:`check_keys`, or for the first array of the wrong type, dtype or shape: the
        message names the key and gives both the array's shape and the expected one.
    """
    check_keys(value, name, shapes, exact=exact, where=where)
    out = {}
    for key in shapes:
        label = f"{name}[{_repr(key)}]" + (f" {suffix}" if suffix else "")
        shape = shapes[key]
        want = None if shape is None else _tuple(shape)
        out[key] = _check_array(value[key], label, want, dtype, finite, where)
    return out
