"""Reading an LMS download: folders, zips and zips inside entries, as in-memory files with their errors.

Nothing is extracted to disk; a file that cannot be read is kept with the reason, for the report.
"""

from __future__ import annotations

import io
import os
import re
import stat
import time
import zipfile
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable


#: Files larger than this (bytes) are refused (a notebook with many plots is a few tens of MB).
MAX_BYTES = 256 * 2**20


JUNK = {"__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini"}


#: What reading a file of the download can raise (corrupt or encrypted zips, vanished files).
READ_ERRORS = (OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error)


@dataclass
class _File:
    parts: tuple[str, ...]  # path relative to PATH; parts[0] is the student's entry
    read: Callable[[], bytes] | None = None  # None for errors
    mtime: float = 0.0
    error: tuple[str, str] | None = None  # (kind, reason)
    name: str | None = None  # original file name (flat LMS entries)

    @property
    def base(self) -> str:
        return self.name or self.parts[-1]

    @property
    def path(self) -> str:
        return "/".join(self.parts)


def _junk(f: _File) -> bool:
    parts = f.parts[:-1] if f.error and f.error[0] == "unsafe-path" else f.parts
    return any(p in JUNK or p.startswith(".") for p in parts)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as member:
        data = member.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES} bytes")
    return data


def _zip_files(zf: zipfile.ZipFile, prefix: tuple[str, ...] = ()) -> list[_File]:
    """The files of a zip; unsafe entries (absolute, ``..``, symbolic links) come back as errors."""
    out = []
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        parts = tuple(p for p in name.split("/") if p not in ("", "."))
        if info.is_dir() or not parts:
            continue
        if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in parts:
            out.append(_File(prefix + (info.filename,), error=("unsafe-path", f"zip entry {info.filename!r} "
                             "points outside the folder it would be extracted to; not extracted")))
        elif stat.S_ISLNK(info.external_attr >> 16):
            out.append(_File(prefix + parts, error=("symlink", "symbolic link in the zip; not followed")))
        elif info.file_size > MAX_BYTES:
            out.append(_File(prefix + parts, error=("too-large", f"{info.file_size} bytes; not read")))
        else:
            mtime = time.mktime(info.date_time + (0, 0, -1))
            out.append(_File(prefix + parts, lambda i=info: _read_member(zf, i), mtime))
    return out


def _dir_files(root: Path) -> list[_File]:
    """The files under a folder, without following symbolic links (they come back as errors)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        rel = here.relative_to(root).parts
        for name in sorted(dirnames + filenames):
            p = here / name
            if p.is_symlink():
                out.append(_File(rel + (name,), error=("symlink", "symbolic link; not followed")))
            elif name in filenames:
                size, mtime = p.stat().st_size, p.stat().st_mtime
                error = ("too-large", f"{size} bytes; not read") if size > MAX_BYTES else None
                out.append(_File(rel + (name,), p.read_bytes, mtime, error))
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]
    return out


def _expand(f: _File) -> list[_File]:
    """A student's zip becomes its files (zips in it are not opened); other files stay as they are."""
    if f.error or not f.base.lower().endswith(".zip"):
        return [f]
    try:
        zf = zipfile.ZipFile(io.BytesIO(f.read()))
        return [g for g in _zip_files(zf, f.parts) if not _junk(g)]
    except READ_ERRORS as exc:
        return [replace(f, error=("corrupt-zip", f"cannot open the zip: {exc}"))]
