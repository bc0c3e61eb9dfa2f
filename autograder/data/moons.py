"""The make_moons split used by assignment a3, kept in the course cache so that loading it needs no scikit-learn.

Why: making 500 noisy points takes microseconds, but importing scikit-learn to do it costs about 0.75 s
of CPU, in every kernel that runs a3 (and a graded batch starts one per submission). So the first call
with given parameters makes the split with scikit-learn and stores it in the cache directory (the one
MNIST uses) as ``moons-<key>.npz``; later calls read that file. The key covers the parameters and the
installed versions of scikit-learn and numpy (read from the package metadata, without importing
scikit-learn), and the file carries a digest of its arrays: a file for other parameters or versions,
or one whose content changed, is never used, the split is made again instead. Only an integer
``random_state`` is cached (None would mean new points on every call). A cache that cannot be written
(read-only, or a graded kernel, where only the notebook's own directory is writable) is simply not
written: the result is the same either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np

#: File name of a cached split: ``moons-<key>.npz``.
CACHE_PREFIX = "moons-"
_NAMES = ("X_train", "X_test", "y_train", "y_test")


def load_moons(*, n_samples: int = 500, noise: float = 0.2, random_state: int | None = 42,
               test_size: float | int = 0.3, cache_dir: str | os.PathLike | None = None):
    """Two interleaving half circles, split into training and test sets.

    ``sklearn.datasets.make_moons(n_samples, noise=noise, random_state=random_state)`` split with
    ``sklearn.model_selection.train_test_split(X, y, test_size=test_size, random_state=random_state)``,
    taken from the cache when an earlier call stored the same split (see the module docstring).

    Parameters
    ----------
    n_samples : int, default=500
    noise : float, default=0.2
    random_state : int or None, default=42
        None draws new points on every call (and is never cached).
    test_size : float or int, default=0.3
    cache_dir : str or path-like or None, default=None
        Cache directory; None means ``$BACKPROP_COURSE_CACHE`` or ``~/.cache/backprop-course``.

    Returns
    -------
    X_train : ndarray of shape (n_train, 2), float64
    X_test : ndarray of shape (n_test, 2), float64
    y_train : ndarray of shape (n_train,), int64
    y_test : ndarray of shape (n_test,), int64
    """
    key = _key(n_samples, noise, random_state, test_size)
    path = None
    if key is not None:
        from .mnist import default_cache_dir

        path = (Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()) / \
            f"{CACHE_PREFIX}{key}.npz"
        cached = _read(path, key)
        if cached is not None:
            return cached
    arrays = _make(n_samples, noise, random_state, test_size)
    if path is not None:
        _write(path, key, arrays)
    return arrays


def _make(n_samples, noise, random_state, test_size) -> tuple[np.ndarray, ...]:
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=n_samples, noise=noise, random_state=random_state)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, random_state=random_state)
    return (np.ascontiguousarray(X_train, dtype=np.float64), np.ascontiguousarray(X_test, dtype=np.float64),
            y_train.astype(np.int64), y_test.astype(np.int64))


def _key(n_samples, noise, random_state, test_size) -> str | None:
    """The cache key of these parameters with the installed versions, or None when not cacheable."""
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in (n_samples, random_state)) \
            or not all(isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                       for v in (noise, test_size)):
        return None
    try:
        from importlib.metadata import PackageNotFoundError, version

        sklearn_version = version("scikit-learn")
    except (ImportError, PackageNotFoundError):
        return None  # let _make say that scikit-learn is missing
    spec = json.dumps([int(n_samples), repr(float(noise)), int(random_state),
                       repr(float(test_size)) if isinstance(test_size, (float, np.floating)) else int(test_size),
                       sklearn_version, np.__version__])
    return hashlib.blake2b(spec.encode(), digest_size=12).hexdigest()


def _digest(arrays) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for a in arrays:
        digest.update(f"{a.dtype.str}{a.shape}".encode())
        digest.update(np.ascontiguousarray(a).tobytes())
    return digest.hexdigest()


def _read(path: Path, key: str) -> tuple[np.ndarray, ...] | None:
    """The arrays stored at ``path`` for ``key`` if the file is whole and unchanged, else None."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            if str(stored["key"]) != key:
                return None
            arrays = tuple(np.array(stored[name]) for name in _NAMES)
            digest = str(stored["digest"])
    except (OSError, KeyError, ValueError, EOFError, zipfile.BadZipFile):
        return None
    dtypes_ok = [a.dtype for a in arrays] == [np.float64, np.float64, np.int64, np.int64]
    shapes_ok = arrays[0].ndim == arrays[1].ndim == 2 and arrays[0].shape[0] == arrays[2].shape[0] and \
        arrays[1].shape[0] == arrays[3].shape[0]
    if not (dtypes_ok and shapes_ok) or _digest(arrays) != digest:
        return None
    return arrays


def _write(path: Path, key: str, arrays) -> None:
    """Store ``arrays`` at ``path`` atomically (temporary file + ``os.replace``); silent when impossible."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix="." + path.name, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, key=np.array(key), digest=np.array(_digest(arrays)), **dict(zip(_NAMES, arrays)))
        os.replace(tmp, path)
        tmp = None
    except OSError:  # a read-only cache, or a graded kernel: nothing lost but the next call's speed
        pass
    finally:
        if tmp is not None:
            try:
                os.remove(tmp)
            except OSError:
                pass
