"""Reading IDX files (the MNIST format), gzip-compressed or raw, with SHA-256 verification."""

from __future__ import annotations

import gzip
import hashlib
import struct
from pathlib import Path

import numpy as np

#: IDX type codes -> numpy dtypes (big-endian where it matters).
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


class ChecksumError(ValueError):
    """A data file's content does not have the SHA-256 it must have."""


def read_bytes(path: Path) -> bytes:
    """The decompressed content of an IDX file.

    Parameters
    ----------
    path : Path
        A ``.gz`` file (decompressed on the fly) or a raw file.

    Returns
    -------
    content : bytes
    """
    path = Path(path)
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as f:
                return f.read()
        return path.read_bytes()
    except (OSError, EOFError) as exc:
        raise ValueError(f"{path}: cannot read ({exc}); the file is damaged, delete it and fetch it again") from exc


def verify_sha256(content: bytes, expected: str, path: Path) -> None:
    """Raise `ChecksumError` naming `path` when ``sha256(content) != expected``.

    Parameters
    ----------
    content : bytes
        Decompressed content.
    expected : str
        Hex digest.
    path : Path
        The file the content came from (for the message).
    """
    actual = hashlib.sha256(content).hexdigest()
    if actual != expected:
        raise ChecksumError(
            f"{path}: SHA-256 of the decompressed content is {actual}, expected {expected}. "
            "The file is corrupt or not the right file: delete it and download it again.")


def parse_idx(content: bytes, path: Path) -> np.ndarray:
    """Parse IDX content into an array.

    Parameters
    ----------
    content : bytes
        Decompressed IDX content.
    path : Path
        Where it came from (for error messages).

    Returns
    -------
    array : ndarray
        Of the shape stored in the header, native byte order.
    """
    if len(content) < 4 or content[0] != 0 or content[1] != 0 or content[2] not in _IDX_TYPES:
        raise ValueError(f"{path}: not an IDX file (bad magic number {content[:4].hex() or 'empty'})")
    ndim = content[3]
    header = 4 + 4 * ndim
    if ndim == 0 or len(content) < header:
        raise ValueError(f"{path}: truncated IDX header")
    dims = struct.unpack(">" + "I" * ndim, content[4:header])
    dtype = np.dtype(_IDX_TYPES[content[2]])
    expected = int(np.prod(dims)) * dtype.itemsize
    if len(content) - header != expected:
        raise ValueError(f"{path}: IDX header says {dims} ({expected} bytes of data) "
                         f"but the file has {len(content) - header}")
    return np.frombuffer(content, dtype=dtype, offset=header).reshape(dims).astype(dtype.newbyteorder("="))


def load_idx(path: Path, sha256: str | None) -> np.ndarray:
    """Read, verify and parse one IDX file.

    Parameters
    ----------
    path : Path
    sha256 : str or None
        Expected digest of the decompressed content (None: no check).

    Returns
    -------
    array : ndarray
    """
    content = read_bytes(path)
    if sha256 is not None:
        verify_sha256(content, sha256, path)
    return parse_idx(content, path)
