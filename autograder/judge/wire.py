"""The data format between the judge and the student's kernel: plain values as JSON trees plus raw buffers.

Only *data* crosses between the two processes, never code and never a pickle. A value is encoded as a
JSON-able tree (every node a dict with a type tag ``t``) and a list of binary buffers that the tree
points into by index:

========  ==========================================  ==============================================
``t``     value                                       fields
========  ==========================================  ==============================================
``n``     ``None``
``b``     ``bool``                                    ``v``
``i``     ``int``                                     ``v`` (decimal string: any size)
``f``     ``float``                                   ``v`` (``float.hex``: exact, also inf and nan)
``c``     ``complex``                                 ``re``, ``im`` (``float.hex``)
``s``     ``str``                                     ``buf`` (UTF-8, surrogates kept)
``y``     ``bytes``                                   ``buf``
``a``     exact ``numpy.ndarray``                     ``dtype``, ``shape``, ``buf`` (C order)
``g``     numpy scalar (``np.float64``, ``np.bool``)  ``dtype``, ``buf``
``l``     ``list`` / ``u``: ``tuple``                 ``items``
``d``     ``dict`` with ``str`` keys                  ``keys``, ``values``
``r``     an opaque reference to an object            ``id`` (int), ``type`` (a name, for messages)
``=``     the same object as node ``k`` of this tree  ``k`` (keeps aliasing: ``f(X, X)``)
========  ==========================================  ==============================================

Array and scalar dtypes are numeric or bool only (``[<>|=]?[biufc]N``): no object, string, void or
structured dtype can be named. `decode` checks every field, so a malformed or hostile tree raises
`WireError` and builds nothing but these exact types (fresh ``ndarray`` objects that own their memory,
never a subclass). The *encoder* decides which values are data: exact types only; anything else (a
subclass of ``float``, an ``ndarray`` subclass, an instance, a function) becomes a reference through
the ``ref`` callback, or is refused.
"""

from __future__ import annotations

import re

import numpy as np

#: Deepest nesting of lists/tuples/dicts either side accepts.
MAX_DEPTH = 64
#: Most nodes in one tree.
MAX_NODES = 1_000_000

_DTYPE = re.compile(r"^[<>|=]?[biufc][0-9]{1,2}$")
_SCALAR_TYPES = frozenset({np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32,
                           np.uint64, np.float16, np.float32, np.float64, np.longdouble, np.complex64,
                           np.complex128, np.clongdouble, np.intc, np.uintc, np.longlong, np.ulonglong})
_DATA_KINDS = frozenset("biufc")


class WireError(ValueError):
    """A tree or buffer that is not a value of the format (malformed, too deep, a forbidden dtype)."""


class Unencodable(TypeError):
    """A value that is not data and may not become a reference here."""


def _dtype(text) -> np.dtype:
    if type(text) is not str or not _DTYPE.match(text):
        raise WireError(f"dtype {text!r} is not a numeric or bool dtype")
    try:
        dt = np.dtype(text)
    except TypeError as exc:
        raise WireError(f"dtype {text!r}: {exc}") from None
    if dt.kind not in _DATA_KINDS or dt.fields is not None or dt.subdtype is not None:
        raise WireError(f"dtype {text!r} is not a numeric or bool dtype")
    return dt


def is_data_array(value) -> bool:
    """Whether ``value`` is an exact ``numpy.ndarray`` of a numeric or bool dtype."""
    return type(value) is np.ndarray and value.dtype.kind in _DATA_KINDS and value.dtype.fields is None


class Encoder:
    """Turn one value into ``(tree, buffers)``.

    Parameters
    ----------
    ref : callable or None
        ``ref(obj) -> dict``: the node for an object that is not data (the kernel registers it in its
        table; the judge passes its references back). ``None``: such objects raise `Unencodable`.
    """

    def __init__(self, ref=None):
        self.ref = ref
        self.buffers: list = []
        self._memo: dict[int, int] = {}
        self._keep: list = []      # objects of the memo, kept alive while encoding
        self._nodes = 0

    def _buffer(self, data) -> int:
        self.buffers.append(data)
        return len(self.buffers) - 1

    def encode(self, value, depth: int = 0) -> dict:
        """The node for ``value`` (buffers accumulate in ``self.buffers``)."""
        self._nodes += 1
        if self._nodes > MAX_NODES:
            raise Unencodable(f"more than {MAX_NODES} values in one message")
        kind = type(value)
        if value is None:
            return {"t": "n"}
        if kind is bool:
            return {"t": "b", "v": value}
        if kind is int:
            return {"t": "i", "v": str(value)}
        if kind is float:
            return {"t": "f", "v": value.hex()}
        if kind is complex:
            return {"t": "c", "re": value.real.hex(), "im": value.imag.hex()}
        if kind is str:
            return {"t": "s", "buf": self._buffer(value.encode("utf-8", "surrogatepass"))}
        if kind is bytes:
            return {"t": "y", "buf": self._buffer(value)}
        if kind in _SCALAR_TYPES:
            return {"t": "g", "dtype": value.dtype.str, "buf": self._buffer(value.tobytes())}
        if kind in (np.ndarray, list, tuple, dict):
            seen = self._memo.get(id(value))
            if seen is not None:
                return {"t": "=", "k": seen}
        if is_data_array(value):
            node = {"t": "a", "dtype": value.dtype.str, "shape": [int(s) for s in value.shape],
                    "buf": self._buffer(np.ascontiguousarray(value).data.cast("B") if value.size else b"")}
            return self._remember(value, node)
        if kind in (list, tuple) and depth < MAX_DEPTH:
            node = {"t": "l" if kind is list else "u"}
            index = self._remember(value, node)
            node["items"] = [self.encode(v, depth + 1) for v in value]
            return index
        if kind is dict and depth < MAX_DEPTH and all(type(k) is str for k in value):
            node = {"t": "d"}
            index = self._remember(value, node)
            items = list(value.items())
            node["keys"] = [k for k, _ in items]
            node["values"] = [self.encode(v, depth + 1) for _, v in items]
            return index
        if self.ref is None:
            raise Unencodable(f"a {kind.__name__} object is not data")
        return self.ref(value)

    def _remember(self, value, node: dict) -> dict:
        node["k"] = len(self._memo)
        self._memo[id(value)] = node["k"]
        self._keep.append(value)
        return node


def encode(value, ref=None) -> tuple[dict, list]:
    """``(tree, buffers)`` for ``value``; see `Encoder`."""
    enc = Encoder(ref)
    tree = enc.encode(value)
    return tree, enc.buffers


class Decoder:
    """Rebuild values from ``(tree, buffers)``; every node is checked (see the module docstring).

    Parameters
    ----------
    buffers : list of bytes-like
    ref : callable or None
        ``ref(node) -> object`` for reference nodes; ``None``: references raise `WireError`.
    """

    def __init__(self, buffers, ref=None):
        self.buffers = list(buffers)
        self.ref = ref
        self.memo: dict[int, object] = {}
        self.nodes = 0
        #: ``id(array) -> read-only view of the bytes it was built from`` (the kernel diffs against it)
        self.sources: dict[int, np.ndarray] = {}

    def _buf(self, node) -> memoryview:
        index = node.get("buf")
        if type(index) is not int or not 0 <= index < len(self.buffers):
            raise WireError(f"buffer index {index!r} out of range")
        return memoryview(self.buffers[index]).cast("B")

    def _hexfloat(self, text) -> float:
        if type(text) is not str or len(text) > 64:
            raise WireError("a float must be written as float.hex()")
        try:
            return float.fromhex(text)
        except ValueError:
            raise WireError(f"{text!r} is not a float") from None

    def decode(self, node, depth: int = 0):
        """The value of ``node``."""
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH + 1:
            raise WireError("the value is nested too deeply or has too many parts")
        if type(node) is not dict:
            raise WireError("a node must be an object")
        t = node.get("t")
        if t == "n":
            return None
        if t == "b":
            if type(node.get("v")) is not bool:
                raise WireError("bool node without a bool")
            return node["v"]
        if t == "i":
            text = node.get("v")
            if type(text) is not str or len(text) > 5000 or not re.fullmatch(r"-?[0-9]+", text):
                raise WireError("int node without a decimal string")
            return int(text)
        if t == "f":
            return self._hexfloat(node.get("v"))
        if t == "c":
            return complex(self._hexfloat(node.get("re")), self._hexfloat(node.get("im")))
        if t == "s":
            try:
                return bytes(self._buf(node)).decode("utf-8", "surrogatepass")
            except UnicodeDecodeError:
                raise WireError("a str buffer is not UTF-8") from None
        if t == "y":
            return bytes(self._buf(node))
        if t == "g":
            dt = _dtype(node.get("dtype"))
            raw = self._buf(node)
            if len(raw) != dt.itemsize:
                raise WireError("a numpy scalar's buffer has the wrong size")
            return np.frombuffer(raw, dtype=dt)[0].copy()
        if t == "a":
            dt = _dtype(node.get("dtype"))
            shape = node.get("shape")
            if type(shape) is not list or len(shape) > 32 or any(type(s) is not int or s < 0 for s in shape):
                raise WireError("an array's shape must be a list of non-negative ints")
            raw = self._buf(node)
            size = 1
            for s in shape:
                size *= s
            if size * dt.itemsize != len(raw):
                raise WireError(f"an array of shape {tuple(shape)} and dtype {dt} needs {size * dt.itemsize} "
                                f"bytes, the buffer has {len(raw)}")
            out = np.empty(tuple(shape), dtype=dt)
            if size:
                source = np.frombuffer(raw, dtype=np.uint8)
                out.reshape(-1).view(np.uint8)[:] = source
                self.sources[id(out)] = source
            return self._keep(node, out)
        if t in ("l", "u"):
            items = node.get("items")
            if type(items) is not list:
                raise WireError("a list node without items")
            if t == "l":
                out = self._keep(node, [])
                out.extend(self.decode(v, depth + 1) for v in items)
                return out
            return self._keep(node, tuple(self.decode(v, depth + 1) for v in items))
        if t == "d":
            keys, values = node.get("keys"), node.get("values")
            if type(keys) is not list or type(values) is not list or len(keys) != len(values) \
                    or any(type(k) is not str for k in keys):
                raise WireError("a dict node needs str keys and as many values")
            out = self._keep(node, {})
            for k, v in zip(keys, values):
                out[k] = self.decode(v, depth + 1)
            return out
        if t == "=":
            k = node.get("k")
            if type(k) is not int or k not in self.memo:
                raise WireError("a back-reference to an unknown node")
            return self.memo[k]
        if t == "r":
            if self.ref is None or type(node.get("id")) is not int:
                raise WireError("a reference where only data is allowed")
            return self.ref(node)
        raise WireError(f"unknown node type {t!r}")

    def _keep(self, node, value):
        k = node.get("k")
        if k is not None:
            if type(k) is not int or k in self.memo:
                raise WireError("a node index is repeated or not an int")
            self.memo[k] = value
        return value


def decode(tree, buffers, ref=None):
    """The value of ``(tree, buffers)``; see `Decoder`."""
    return Decoder(buffers, ref).decode(tree)
