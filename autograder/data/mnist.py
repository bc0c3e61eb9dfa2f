"""MNIST: from a directory you name, from the cache, or downloaded from public mirrors.

Every IDX file is verified against the SHA-256 of its decompressed content (the values below are
those of the original LeCun files; gzip settings differ between mirrors, so the .gz bytes are not
compared). Parsed arrays are cached as one uncompressed ``.npz`` so that later loads take a
fraction of a second.
"""

from __future__ import annotations

import os
import tempfile
import threading
import warnings
from pathlib import Path
from typing import NamedTuple

import numpy as np

from . import download
from .idx import ChecksumError, load_idx, read_bytes, verify_sha256

#: name -> SHA-256 of the decompressed file (sizes: 47040016, 60008, 7840016 and 10008 bytes).
FILES = {
    "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}
_ORDER = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")

#: Public mirrors holding the four ``.gz`` files under these names, in order of preference.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
CACHE_NAME = "mnist.npz"
_FIELDS = ("X_train", "y_train", "X_test", "y_test")
__all__ = ["MNIST", "ChecksumError", "MNISTNotFoundError", "load_mnist", "FILES", "MIRRORS", "CACHE_NAME"]


class MNIST(NamedTuple):
    """The MNIST split: images flattened row-major to 784 pixels (0..255), integer labels 0..9.

    Attributes
    ----------
    X_train : ndarray of shape (60000, 784), uint8
    y_train : ndarray of shape (60000,), int64
    X_test : ndarray of shape (10000, 784), uint8
    y_test : ndarray of shape (10000,), int64
    """

    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray


class MNISTNotFoundError(FileNotFoundError):
    """No source could provide MNIST; the message says which files to put where."""


def default_cache_dir() -> Path:
    """The cache directory used when ``load_mnist`` gets no ``cache_dir``.

    Returns
    -------
    path : Path
        ``$BACKPROP_COURSE_CACHE`` if set, else ``~/.cache/backprop-course``.
    """
    env = os.environ.get("BACKPROP_COURSE_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "backprop-course"


def _find(directory: Path) -> tuple[dict[str, Path], list[str]]:
    """The four files in `directory` (``<name>.gz`` preferred over ``<name>``) and the names missing."""
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
    """Identifies a set of files by absolute path, size and modification time."""
    parts = []
    for name in _ORDER:
        st = files[name].stat()
        parts.append(f"{files[name].resolve()}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def _parse(files: dict[str, Path], checksums: dict[str, str | None]) -> MNIST:
    """Read, verify and parse the four IDX files.

    Parameters
    ----------
    files : dict of str to Path
        ``name -> path`` for the four names of `_ORDER` (``.gz`` or raw).
    checksums : dict of str to str or None
        ``name -> expected SHA-256`` of the decompressed content (None or absent: not checked).

    Returns
    -------
    mnist : MNIST
        Images of shape (n, 784) uint8, labels of shape (n,) int64.

    Raises
    ------
    ChecksumError
        A file's content has another digest.
    ValueError
        A file is not a well-formed IDX image (0x00000803, n x 28 x 28) or label (0x00000801, n) file.
    """
    out = []
    for images, labels in ((_ORDER[0], _ORDER[1]), (_ORDER[2], _ORDER[3])):
        X = load_idx(files[images], checksums.get(images))
        y = load_idx(files[labels], checksums.get(labels))
        if X.dtype != np.uint8 or X.ndim != 3 or X.shape[1:] != (28, 28):
            raise ValueError(f"{files[images]}: expected an IDX image file (magic 0x00000803, n x 28 x 28 "
                             f"unsigned bytes), got {X.dtype} of shape {X.shape}")
        if y.dtype != np.uint8 or y.ndim != 1:
            raise ValueError(f"{files[labels]}: expected an IDX label file (magic 0x00000801, n unsigned "
                             f"bytes), got {y.dtype} of shape {y.shape}")
        if len(X) != len(y):
            raise ValueError(f"{files[images]} has {len(X)} images but {files[labels]} has {len(y)} labels")
        if y.size and y.max() > 9:
            raise ValueError(f"{files[labels]}: labels must be 0..9, found {int(y.max())}")
        out += [X.reshape(len(X), -1), y.astype(np.int64)]
    return MNIST(*out)


def _digests(checksums: dict[str, str | None]) -> np.ndarray:
    return np.array([checksums.get(n) or "" for n in _ORDER])


def _read_cache(cache: Path, checksums: dict[str, str | None]) -> tuple[MNIST | None, str]:
    """The cached arrays and their source, or ``(None, "")`` (with a warning if the file is unusable).

    With `share_scaled_copies` on, a file read once is not read again while it stays the same file
    (same inode, size and modification time): the arrays read then are returned (and must not be
    handed out as they are: `load_mnist` returns copies, or scaled copies, of them).
    """
    path = cache / CACHE_NAME
    if not path.is_file():
        return None, ""
    memo_key = None
    if _SHARE[0]:
        try:
            st = path.stat()
        except OSError:
            return None, ""
        memo_key = (str(path.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns,
                    tuple(_digests(checksums).tolist()))
        with _SHARED_LOCK:
            if memo_key in _READ:
                return _READ[memo_key][:2]
    data, source = _read_cache_file(path, checksums)
    if memo_key is not None and data is not None:
        with _SHARED_LOCK:
            _READ.clear()  # only the newest file's arrays are kept
            _READ[memo_key] = (data, source, _content_key(data))
    return data, source


def _read_cache_file(path: Path, checksums: dict[str, str | None]) -> tuple[MNIST | None, str]:
    try:
        with np.load(path, allow_pickle=False) as z:
            if z["digests"].tolist() != _digests(checksums).tolist():
                raise ValueError("it was built from files with other checksums")
            data = MNIST(*(z[f] for f in _FIELDS))
            source = str(z["source"])
        for X, y in ((data.X_train, data.y_train), (data.X_test, data.y_test)):
            if X.dtype != np.uint8 or y.dtype != np.int64 or X.ndim != 2 or X.shape[1] != 784 \
                    or y.shape != (X.shape[0],):
                raise ValueError(f"its arrays have the wrong shapes or dtypes ({X.dtype} {X.shape}, "
                                 f"{y.dtype} {y.shape})")
        return data, source
    except Exception as exc:  # truncated, foreign or stale: rebuild it
        warnings.warn(f"ignoring the MNIST cache {path} ({type(exc).__name__}: {exc}); it will be rebuilt",
                      stacklevel=4)
        return None, ""


def _write_cache(cache: Path, data: MNIST, checksums: dict[str, str | None], source: str) -> None:
    """Write ``<cache>/mnist.npz`` atomically (temporary file + ``os.replace``); warn if impossible."""
    tmp = None
    try:
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, prefix="." + CACHE_NAME, suffix=".part")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **data._asdict(), digests=_digests(checksums), source=np.array(source))
        os.replace(tmp, cache / CACHE_NAME)
    except OSError as exc:  # a read-only or full cache must not stop the course
        warnings.warn(f"could not write the MNIST cache in {cache}: {exc}", stacklevel=4)
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _download_missing(raw: Path, missing: list[str], mirrors, checksums, progress: bool,
                      attempts: list[str]) -> None:
    """Download each missing ``<name>.gz`` into `raw`, verified before it lands there."""
    for name in missing:
        def check(path: Path, name=name) -> None:
            expected = checksums.get(name)
            if expected is not None:
                verify_sha256(read_bytes(path), expected, path)

        urls = [m.rstrip("/") + "/" + name + ".gz" for m in mirrors]
        path, errors = download.fetch_with_retries(urls, raw / (name + ".gz"), progress=progress, check=check)
        attempts.extend(f"download {e}" for e in errors)
        if path is None:
            if not urls:
                attempts.append("download: no mirrors given")
            return  # the other files would fail the same way


def load_mnist(data_dir: str | os.PathLike | None = None, *, cache_dir: str | os.PathLike | None = None,
               download: bool = True, progress: bool = True, mirrors: tuple[str, ...] | None = None,
               dtype=None, _checksums: dict[str, str | None] | None = None) -> MNIST:
    """Load MNIST's 60,000 training and 10,000 test images.

    Sources, in order:

    1. ``data_dir``, else the ``MNIST_DIR`` environment variable: a directory with the four files
       ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte`` and
       ``t10k-labels-idx1-ubyte``, each gzip-compressed (``<name>.gz``, preferred) or not.
       Cache rule: ``<cache>/mnist.npz`` remembers which files it was parsed from (absolute path,
       size and modification time of each). If it was built from exactly these files it is read
       instead (fast); otherwise the files are parsed and verified, and the cache is rewritten.
       So a file that changes in a named directory is always verified again, and a corrupt file
       there raises instead of being hidden by the cache or by another source. If some of the
       files are missing there, the next sources are tried.
    2. The cache directory (``cache_dir``, else ``$BACKPROP_COURSE_CACHE``, else
       ``~/.cache/backprop-course``): ``mnist.npz`` if its stored checksums, shapes and dtypes
       are right (a truncated or foreign file is ignored with a warning and rebuilt), else the
       four files in its ``raw/`` folder.
    3. Only if ``download``: the files missing from ``<cache>/raw/`` are downloaded from
       `MIRRORS` (or ``mirrors``), in order, with retries and backoff; each is verified before
       it is moved into ``<cache>/raw/``.

    Every file is checked against the SHA-256 of its decompressed content; a mismatch raises
    `ChecksumError` naming the file. After parsing files, ``<cache>/mnist.npz`` is written
    (atomically), so the next call takes a fraction of a second.

    Parameters
    ----------
    data_dir : str or path-like or None, default=None
        Directory holding the four IDX files; None means ``$MNIST_DIR`` (if set).
    cache_dir : str or path-like or None, default=None
        Cache directory; None means ``$BACKPROP_COURSE_CACHE`` or ``~/.cache/backprop-course``.
    download : bool, default=True
        Allow downloading when no local source has the files; the environment variable
        ``BACKPROP_COURSE_OFFLINE=1`` turns downloads off too (an air-gapped grading worker).
    progress : bool, default=True
        Show a progress bar per downloaded file.
    mirrors : sequence of str or None, default=None
        Base URLs to download ``<name>.gz`` from; None means `MIRRORS`, ``()`` means none.
    dtype : floating dtype or None, default=None
        None: the images as stored, uint8 0..255. A floating dtype (``np.float64``): the images
        scaled to [0, 1], exactly ``X.astype(dtype) / 255.0``.

    Returns
    -------
    mnist : MNIST
        Named tuple ``(X_train, y_train, X_test, y_test)``: ``X_train`` of shape (60000, 784)
        uint8 (or ``dtype``), ``y_train`` of shape (60000,) int64, ``X_test`` of shape (10000, 784)
        uint8 (or ``dtype``), ``y_test`` of shape (10000,) int64. Images are the 28x28 pixels
        flattened row-major. Every call returns arrays of its own.

    Raises
    ------
    ChecksumError
        A local file has the wrong content (delete it and fetch it again).
    ValueError
        A local file is not a well-formed IDX file.
    MNISTNotFoundError
        No source had the files; the message says which files to put where and why each
        source failed.

    Examples
    --------
    >>> X_train, y_train, X_test, y_test = load_mnist()  # doctest: +SKIP
    >>> X_train.shape, y_test.dtype  # doctest: +SKIP
    ((60000, 784), dtype('int64'))
    """
    scaled = None if dtype is None else _floating(dtype)  # a wrong dtype fails before anything is read
    data = _load_uint8(data_dir, cache_dir, download, progress, mirrors,
                       FILES if _checksums is None else _checksums)
    if scaled is not None:
        return _scaled(data, scaled)
    with _SHARED_LOCK:
        kept = any(entry[0] is data for entry in _READ.values())
    return MNIST(*(a.copy() for a in data)) if kept else data  # arrays kept for later calls: a private copy


def _load_uint8(data_dir, cache_dir, download: bool, progress: bool, mirrors, checksums) -> MNIST:
    """`load_mnist` without ``dtype``: the arrays as stored."""
    offline = os.environ.get("BACKPROP_COURSE_OFFLINE", "") not in ("", "0")
    download = download and not offline
    cache = Path(cache_dir).expanduser() if cache_dir is not None else default_cache_dir()
    named = data_dir if data_dir is not None else (os.environ.get("MNIST_DIR") or None)
    attempts: list[str] = []
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
        origin = "data_dir" if data_dir is not None else "MNIST_DIR"
        what = "does not exist" if not named.is_dir() else "lacks " + ", ".join(missing)
        attempts.append(f"{named} (from {origin}): {what}")

    if cached is not None:
        return cached
    attempts.append(f"cache {cache / CACHE_NAME}: not there (or unusable)")

    raw = cache / "raw"
    found, missing = _find(raw)
    if missing:
        attempts.append(f"{raw}: lacks {', '.join(missing)}")
        if download:
            _download_missing(raw, missing, MIRRORS if mirrors is None else tuple(mirrors), checksums,
                              progress, attempts)
            found, missing = _find(raw)
        else:
            attempts.append("download: disabled (" + ("BACKPROP_COURSE_OFFLINE" if offline else "download=False") + ")")
    if not missing:
        data = _parse(found, checksums)
        _write_cache(cache, data, checksums, "raw")
        return data

    where = named if named is not None else raw
    also = f" (or into the cache folder {raw})" if named is not None else ""
    raise MNISTNotFoundError(
        "MNIST is not available. Put these four files (from any MNIST mirror; uncompressed copies "
        "without the .gz work too)\n" + "".join(f"    {n}.gz\n" for n in _ORDER)
        + f"into {where}{also}, or point the MNIST_DIR environment variable (or load_mnist(data_dir=...)) "
        "at a directory holding them.\nSources tried:\n  " + "\n  ".join(attempts))


# ---------------------------------------------------------------------------------------- scaled copies
_SHARED: dict[tuple[str, bytes], object] = {}
_SHARED_LOCK = threading.Lock()
_SHARE = [False]
#: With sharing on: the cache file's identity -> (uint8 arrays read from it, their source, their content key).
_READ: dict[tuple, tuple[MNIST, str, bytes]] = {}


def share_scaled_copies(enable: bool = True) -> bool:
    """Keep each scaled MNIST this process builds, and give every later call a private copy of it.

    For a long-lived process that builds the same scaled arrays again and again (a grading worker's
    judge: a2's given cell and accuracy test, for every submission). With it on, ``load_mnist(dtype=...)``
    builds the scaled images once per content and dtype, freezes them (`autograder.data.frozen`:
    about 440 MB for float64, held until the process ends) and returns a fresh copy-on-write copy on
    each call: the same values, bit for bit, writable, and changed by nobody else. Never turned on in
    a student's kernel (a fresh process per notebook: nothing to share).

    Parameters
    ----------
    enable : bool, default=True

    Returns
    -------
    on : bool
        Whether scaled copies are now shared (False where the platform cannot seal memory files).
    """
    from . import frozen

    _SHARE[0] = bool(enable) and frozen.available()
    if not _SHARE[0]:
        with _SHARED_LOCK:
            _SHARED.clear()
            _READ.clear()
    return _SHARE[0]


def _scale(X: np.ndarray, dtype: np.dtype) -> np.ndarray:
    return X.astype(dtype) / 255.0


def _built(data: MNIST, dtype: np.dtype) -> MNIST:
    """``data`` with its images scaled here and now (arrays of this call's own)."""
    return MNIST(_scale(data.X_train, dtype), data.y_train.copy(), _scale(data.X_test, dtype), data.y_test.copy())


def _floating(dtype) -> np.dtype:
    try:
        dt = np.dtype(dtype)
    except TypeError as exc:
        raise ValueError(f"dtype must be a floating dtype such as np.float64 (or None for uint8): {exc}") from None
    if dt.kind != "f":
        raise ValueError(f"dtype must be a floating dtype such as np.float64 (or None for uint8), not {dt}")
    return dt


def _scaled(data: MNIST, dtype: np.dtype) -> MNIST:
    """``data`` with the images as ``dtype`` in [0, 1] (shared copies: see `share_scaled_copies`)."""
    if not _SHARE[0]:
        return _built(data, dtype)
    from .frozen import FrozenArrays

    with _SHARED_LOCK:  # arrays read from the cache file come with their key: no need to hash them again
        content = next((entry[2] for entry in _READ.values() if entry[0] is data), None)
    key = (dtype.str, content if content is not None else _content_key(data))
    with _SHARED_LOCK:
        frozen_arrays = _SHARED.get(key)
        if frozen_arrays is None:
            built = _built(data, dtype)
            try:
                frozen_arrays = FrozenArrays({"X_train": built.X_train, "X_test": built.X_test})
            except OSError:  # no room for the memory file (or no memfd after all): the arrays just built
                return built
            _SHARED[key] = frozen_arrays
    try:
        copy = frozen_arrays.copy()
    except (OSError, ValueError):  # the mapping failed (address space): build them as without sharing
        return _built(data, dtype)
    return MNIST(copy["X_train"], data.y_train.copy(), copy["X_test"], data.y_test.copy())


def _content_key(data: MNIST) -> bytes:
    """A digest of the images (shapes and bytes): equal keys, equal images."""
    import hashlib

    digest = hashlib.blake2b(digest_size=20)
    for X in (data.X_train, data.X_test):
        digest.update(repr(X.shape).encode())
        digest.update(memoryview(np.ascontiguousarray(X).reshape(-1).view(np.uint8)))
    return digest.digest()
