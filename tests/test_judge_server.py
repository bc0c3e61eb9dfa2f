"""The kernel side's copy-back (``autograder.judge.server``), in one process: which changed arguments it
reports, down to one bit anywhere in an array, whatever the array's length."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.judge import server, wire


def _received(value):
    """``value`` as the kernel rebuilds it from a request, and the decoder that rebuilt it."""
    tree, buffers = wire.encode(value)
    decoder = wire.Decoder([bytes(b) for b in buffers])
    return decoder.decode(tree), decoder


@pytest.mark.parametrize("nbytes", [0, 1, 7, 8, 9, 16, 8 * 1001 + 5])
def test_an_untouched_array_of_any_length_is_not_sent_back(nbytes):
    arr, decoder = _received(np.arange(nbytes, dtype=np.uint8))
    assert server._patch(server._shadow(arr, decoder.sources), wire.Encoder()) is None


@pytest.mark.parametrize("nbytes", [1, 7, 8, 9, 16, 8 * 1001 + 5])
@pytest.mark.parametrize("where", ["first", "last", "middle"])
def test_one_changed_bit_anywhere_is_sent_back(nbytes, where):
    arr, decoder = _received(np.arange(nbytes, dtype=np.uint8))
    shadow = server._shadow(arr, decoder.sources)
    index = {"first": 0, "last": nbytes - 1, "middle": nbytes // 2}[where]
    arr[index] ^= 1
    patch = server._patch(shadow, wire.Encoder())
    assert patch is not None and "set" in patch


def test_bitwise_changes_that_compare_equal_as_floats_are_sent_back():
    arr, decoder = _received(np.array([0.0, 1.0, np.nan]))
    shadow = server._shadow(arr, decoder.sources)
    arr[0] = -0.0                                   # == 0.0, other bits
    assert server._patch(shadow, wire.Encoder()) is not None


def test_an_array_copied_before_the_call_is_compared_bytewise_too():
    arr = np.arange(11.0)[::2]                      # not built from a buffer: its snapshot is a copy
    shadow = server._shadow(arr, {})
    assert server._patch(shadow, wire.Encoder()) is None
    arr[-1] += 1e-12
    assert server._patch(shadow, wire.Encoder()) is not None


def test_same_bytes_says_no_for_other_lengths():
    a = np.zeros(16, dtype=np.uint8)
    assert server._same_bytes(a, a.copy())
    assert not server._same_bytes(a, a[:15].copy())
    assert not server._same_bytes(a[:9], np.r_[a[:8], np.uint8(1)])
