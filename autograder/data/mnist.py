"""MNIST: from a directory you name, from the cache, or downloaded from public mirrors.

Every IDX file is verified against the SHA-256 of its decompressed content (the values below are
those of the original LeCun files; gzip settings differ between mirrors, so the .gz bytes are not
compared). Parsed arrays are cached as one ``.npz`` so that later loads take a fraction of a second.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .download import fetch_with_retries
from .idx import ChecksumError, load_idx, read_bytes, verify_sha256

#: name -> SHA-256 of the decompressed file.
FILES = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
_ORDER = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

#: Public mirrors holding the four ``.gz`` files under these names.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
CACHE_NAME = "mnist.npz"


class MNIST(NamedTuple):
    """The MNIST split: images flattened to rows of 784 pixels (0..255), integer labels."""

    X_train: np.ndarray  #: (60000, 784) uint8
    y_train: np.ndarray  #: (60000,) int64
    X_test: np.ndarray  #: (10000, 784) uint8
    y_test: np.ndarray  #: (10000,) int64


class MNISTNotFoundError(FileNotFoundError):
    """No source could provide MNIST; the message says which files to put where."""


def default_cache_dir() -> Path:
    """``$BACKPROP_COURSE_CACHE`` or ``~/.cache/backprop-course``.

    Returns
    -------
    path : Path
    """
    return Path(os.environ.get("BACKPROP_COURSE_CACHE") or Path.home() / ".cache" / "backprop-course")


def _find(directory: Path) -> tuple[dict[str, Path], list[str]]:
    found, missing = {}, []
    for name in _ORDER:
        for candidate in (directory / (name + ".gz"), directory / name):
            if candidate.is_file():
                found[name] = candidate
                break
        else:
            missing.append(name)
    return found, missing


def _fingerprint(files: dict[str, Path]) -> str:
    return "|".join(f"{p.resolve()}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for _, p in sorted(files.items()))


def _parse(files: dict[str, Path], checksums: dict[str, str]) -> MNIST:
    arrays = [load_idx(files[name], checksums.get(name)) for name in _ORDER]
    X_train, y_train, X_test, y_test = arrays
    return MNIST(X_train.reshape(len(X_train), -1), y_train.astype(np.int64),
                 X_test.reshape(len(X_test), -1), y_test.astype(np.int64))


def _read_cache(cache: Path, checksums: dict[str, str]) -> tuple[MNIST | None, str]:
    path = cache / CACHE_NAME
    if not path.is_file():
        return None, ""
    try:
        with np.load(path, allow_pickle=False) as z:
            if [str(d) for d in z["digests"]] != [checksums.get(n, "") for n in _ORDER]:
                raise ValueError("it was built from other files")
            data = MNIST(z["X_train"], z["y_train"], z["X_test"], z["y_test"])
            source = str(z["source"])
        if data.X_train.ndim != 2 or data.X_train.shape[0] != data.y_train.shape[0] \
                or data.X_test.shape[0] != data.y_test.shape[0] or data.X_train.dtype != np.uint8:
            raise ValueError("its arrays have the wrong shapes")
        return data, source
    except Exception as exc:  # a truncated or foreign file: rebuild it
        warnings.warn(f"ignoring the MNIST cache {path} ({exc}); it will be rebuilt", stacklevel=3)
        return None, ""


def _write_cache(cache: Path, data: MNIST, checksums: dict[str, str], source: str) -> None:
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=CACHE_NAME, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, X_train=data.X_train, y_train=data.y_train, X_test=data.X_test, y_test=data.y_test,
                     digests=np.array([checksums.get(n, "") for n in _ORDER]), source=np.array(source))
        os.replace(tmp, cache / CACHE_NAME)
    except OSError as exc:  # a read-only cache must not stop the course
        warnings.warn(f"could not write the MNIST cache in {cache}: {exc}", stacklevel=3)


def load_mnist(data_dir: str | os.PathLike | None = None, *, cache_dir: str | os.PathLike | None = None,
               download: bool = True, progress: bool = True, mirrors: tuple[str, ...] | None = None,
               _checksums: dict[str, str] | None = None, _fetcher=None) -> MNIST:
    """Load MNIST's 60,000 training and 10,000 test images.

    Sources, in order:

    1. ``data_dir``, else the ``MNIST_DIR`` environment variable: a directory with the four IDX files
       (``train-images-idx3-ubyte`` etc., each ``.gz`` or uncompressed). When the cache was built
       from exactly these files (same paths, sizes and modification times) the cache is read
       instead of parsing them again.
    2. The cache directory (``cache_dir``, else ``$BACKPROP_COURSE_CACHE``, else
       ``~/.cache/backprop-course``): ``mnist.npz``, then the files in its ``raw/`` folder.
    3. Only if ``download``: the public `MIRRORS` (or ``mirrors``), in order, three tries each,
       into ``<cache>/raw/``.

    Every file is checked against the SHA-256 of its decompressed content; a mismatch raises
    `ChecksumError` naming the file and is never skipped silently.

    Parameters
    ----------
    data_dir : path or None
        Directory holding the IDX files.
    cache_dir : path or None
        Cache directory.
    download : bool
        Allow downloading when no local source has the files.
    progress : bool
        Show download progress bars.
    mirrors : tuple of str or None
        Base URLs to download ``<name>.gz`` from.

    Returns
    -------
    mnist : MNIST
        ``X_train`` (60000, 784) uint8, ``y_train`` (60000,) int64, ``X_test`` (10000, 784) uint8,
        ``y_test`` (10000,) int64 (a named tuple: ``X_train, y_train, X_test, y_test = load_mnist()``).

    Raises
    ------
    ChecksumError
        A file has the wrong content.
    MNISTNotFoundError
        No source had the files; the message says which files to put where.
    """
    checksums = FILES if _checksums is None else _checksums
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    named = data_dir if data_dir is not None else os.environ.get("MNIST_DIR") or None
    attempts = []
    cached, cached_source = _read_cache(cache, checksums)

    if named is not None:
        named = Path(named).expanduser()
        found, missing = _find(named)
        if not missing:
            source = "dir:" + _fingerprint(found)
            if cached is not None and cached_source == source:
                return cached
            data = _parse(found, checksums)
            _write_cache(cache, data, checksums, source)
            return data
        attempts.append(f"{named} (from {'data_dir' if data_dir is not None else 'MNIST_DIR'}): "
                        f"missing {', '.join(missing)}")

    if cached is not None:
        return cached
    attempts.append(f"cache {cache / CACHE_NAME}: not there yet")

    raw = cache / "raw"
    found, missing = _find(raw)
    if missing and download:
        for name in missing:
            urls = [m.rstrip("/") + "/" + name + ".gz" for m in (MIRRORS if mirrors is None else mirrors)]
            dest = raw / (name + ".gz")
            path, errors = fetch_with_retries(urls, dest, progress=progress, fetcher=_fetcher)
            attempts.extend(f"download {e}" for e in errors)
            if path is None:
                break
            try:
                verify_sha256(read_bytes(path), checksums[name], path)
            except (ChecksumError, ValueError) as exc:
                path.unlink(missing_ok=True)
                attempts.append(f"download of {name}: {exc}")
                break
        found, missing = _find(raw)
    elif missing:
        attempts.append("download: disabled (download=False)")
    if not missing:
        data = _parse(found, checksums)
        _write_cache(cache, data, checksums, "raw")
        return data

    where = named if named is not None else raw
    files = "\n".join(f"    {where / (n + '.gz')}" for n in _ORDER)
    raise MNISTNotFoundError(
        "MNIST is not available. Put these four files (gzip or uncompressed, from any MNIST mirror) at\n"
        f"{files}\nor point the MNIST_DIR environment variable (or load_mnist(data_dir=...)) at a directory "
        f"holding them. Sources tried:\n  " + "\n  ".join(attempts))
