"""The judge's data format (``autograder.judge.wire``): every data type both ways, exact types on arrival,
aliasing kept, and nothing but data built from a hostile tree."""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.judge import wire

VALUES = [
    None, True, False, 0, -7, 2 ** 100, 1.5, -0.0, math.inf, 1e-310, 3 + 4j, "", "héllo \ud800", b"\x00\xff",
    np.arange(6, dtype=np.int64).reshape(2, 3), np.zeros((0, 4)), np.array(3.5), np.array([True, False]),
    np.ones((2, 2), dtype=np.float32), np.array([1 + 2j], dtype=np.complex128), np.uint8(7), np.float64(2.5),
    np.bool_(True), np.int32(-3), [1, [2.0, "x"]], (1, (2,)), {"a": np.eye(2), "b": [None]}, {},
]


def _same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if type(a) is np.ndarray:
        return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()
    if type(a) in (list, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if type(a) is dict:
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if type(a) is float and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, np.generic):
        return a.dtype == b.dtype and a.tobytes() == b.tobytes()
    return a == b and (type(a) is not float or math.copysign(1, a) == math.copysign(1, b))


@pytest.mark.parametrize("value", VALUES, ids=lambda v: type(v).__name__)
def test_every_data_type_round_trips_exactly(value):
    tree, buffers = wire.encode(value)
    back = wire.decode(tree, [bytes(b) for b in buffers])
    assert _same(value, back), (value, back)


def test_nan_round_trips():
    assert math.isnan(wire.decode(*wire.encode(math.nan)))


def test_arrays_arrive_as_fresh_writable_owners():
    x = np.arange(12.0).reshape(3, 4)[:, ::2]          # not contiguous
    tree, buffers = wire.encode(x)
    back = wire.decode(tree, [bytes(b) for b in buffers])
    assert type(back) is np.ndarray and back.flags.owndata and back.flags.writeable
    assert np.array_equal(back, x)


def test_aliasing_is_kept():
    a = np.ones(3)
    shared = [a, a, {"x": a}]
    back = wire.decode(*wire.encode(shared))
    assert back[0] is back[1] is back[2]["x"]
    cyclic = []
    cyclic.append(cyclic)
    again = wire.decode(*wire.encode(cyclic))
    assert again[0] is again


class LyingFloat(float):
    def __eq__(self, other):
        return True


class Sub(np.ndarray):
    pass


@pytest.mark.parametrize("value", [LyingFloat(1.0), np.ones(2).view(Sub), np.array([object()], dtype=object),
                                   {1: 2}, lambda: 0, object(), np.array([(1, 2.0)], dtype="i4,f8")],
                         ids=["float-subclass", "ndarray-subclass", "object-dtype", "int-keys", "function",
                              "object", "structured"])
def test_what_is_not_data_becomes_a_reference_or_is_refused(value):
    with pytest.raises(wire.Unencodable):
        wire.encode(value)
    refs = []
    tree, _ = wire.encode([value], ref=lambda obj: refs.append(obj) or {"t": "r", "id": len(refs)})
    assert refs == [value] and tree["items"][0]["t"] == "r"


@pytest.mark.parametrize("tree, buffers", [
    ({"t": "a", "dtype": "O", "shape": [1], "buf": 0}, [b"12345678"]),
    ({"t": "a", "dtype": "V8", "shape": [1], "buf": 0}, [b"12345678"]),
    ({"t": "a", "dtype": "<f8", "shape": [2], "buf": 0}, [b"12345678"]),       # buffer too short
    ({"t": "a", "dtype": "<f8", "shape": [-1], "buf": 0}, [b""]),
    ({"t": "a", "dtype": "<f8", "shape": [1], "buf": 3}, [b"12345678"]),       # no such buffer
    ({"t": "g", "dtype": "<f8", "buf": 0}, [b"1234"]),
    ({"t": "i", "v": "12a"}, []),
    ({"t": "f", "v": 1.0}, []),
    ({"t": "b", "v": 1}, []),
    ({"t": "d", "keys": [1], "values": [{"t": "n"}]}, []),
    ({"t": "l", "items": "nope"}, []),
    ({"t": "=", "k": 5}, []),
    ({"t": "r", "id": 1}, []),                                                  # references refused here
    ({"t": "pickle", "v": "..."}, []),
    ("not a node", []),
])
def test_malformed_trees_raise_and_build_nothing(tree, buffers):
    with pytest.raises(wire.WireError):
        wire.decode(tree, buffers)


def test_too_deep_is_refused():
    tree = {"t": "n"}
    for _ in range(wire.MAX_DEPTH + 5):
        tree = {"t": "l", "items": [tree]}
    with pytest.raises(wire.WireError):
        wire.decode(tree, [])
