"""`autograder.data.frozen`: arrays frozen once, handed out as private copy-on-write copies."""

from __future__ import annotations

import mmap
import os

import numpy as np
import pytest

from autograder.data import frozen

pytestmark = pytest.mark.skipif(not frozen.available(), reason="needs sealed memory files (Linux)")


@pytest.fixture
def arrays():
    rng = np.random.default_rng(3)
    return {"X": rng.normal(size=(1000, 33)), "y": rng.integers(0, 10, size=1000), "flags": rng.random(7) > 0.5,
            "empty": np.zeros((0, 4)), "scalar": np.array(2.5, dtype=np.float32)}


def test_copies_hold_the_values_as_exact_writable_arrays(arrays):
    fz = frozen.FrozenArrays(arrays)
    copy = fz.copy()
    assert list(copy) == list(arrays)
    for name, value in arrays.items():
        got = copy[name]
        assert type(got) is np.ndarray and got.dtype == value.dtype and got.shape == value.shape
        assert got.flags.c_contiguous and got.flags.writeable
        np.testing.assert_array_equal(got, value)


def test_writes_stay_in_their_own_copy(arrays):
    fz = frozen.FrozenArrays(arrays)
    first = fz.copy()
    first["X"][:10] = -7.0
    first["y"] += 1
    arrays["X"][0, 0] = 123.0  # the caller's array after freezing: not the frozen values
    second = fz.copy()
    assert not np.array_equal(second["X"], first["X"])
    assert second["X"][0, 0] != 123.0
    np.testing.assert_array_equal(second["y"], first["y"] - 1)


def test_nobody_can_change_the_frozen_values(arrays):
    fz = frozen.FrozenArrays(arrays)
    before = fz.copy()["X"].copy()
    path = f"/proc/self/fd/{fz._fd}"  # how another process of the same user could reach it
    with pytest.raises(OSError):
        with open(path, "r+b") as f:
            f.write(b"\0" * 64)
            f.flush()
    with pytest.raises(OSError):
        mmap.mmap(fz._fd, fz.nbytes, access=mmap.ACCESS_WRITE)
    with pytest.raises(OSError):
        os.ftruncate(fz._fd, 0)
    np.testing.assert_array_equal(fz.copy()["X"], before)


def test_only_numeric_arrays_and_no_use_after_close(arrays):
    with pytest.raises(TypeError, match="numeric or bool"):
        frozen.FrozenArrays({"names": np.array(["a", "b"])})
    fz = frozen.FrozenArrays(arrays)
    kept = fz.copy()
    fz.close()
    np.testing.assert_array_equal(kept["X"], arrays["X"])  # copies outlive the file
    with pytest.raises(ValueError, match="closed"):
        fz.copy()


def test_the_judge_turns_shared_scaled_mnist_on_in_its_own_process(monkeypatch):
    import nbformat

    from autograder.data import mnist
    from autograder.engine.guarded_execute import GuardedExecute
    from autograder.judge.execute import JudgedExecute

    monkeypatch.setattr(GuardedExecute, "preprocess", lambda self, nb, resources=None, km=None: (nb, resources))
    mnist.share_scaled_copies(False)
    try:
        JudgedExecute(judge=False).preprocess(nbformat.v4.new_notebook(), {})
        assert mnist._SHARE[0] is False  # plain nbgrader semantics: nothing kept
        JudgedExecute(judge=True).preprocess(nbformat.v4.new_notebook(), {})
        assert mnist._SHARE[0] is True
    finally:
        mnist.share_scaled_copies(False)
