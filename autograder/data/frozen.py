"""Arrays computed once per process and handed out as fresh, private, copy-on-write copies.

Why: a grading worker's judge runs a2's given ``load_data`` cell and its accuracy test for every
submission, and each builds MNIST as float64 (about 440 MB) again. On the course's 2-core machine
that took 0.5-1.1 s per build, nearly all of it the operating system handing out fresh memory, while
the student's kernel runs the same cells only once. `FrozenArrays` writes the arrays once into an
anonymous memory file (``memfd``) and *seals* it, so nobody (not even a process that opens it through
``/proc``) can change its content any more. `FrozenArrays.copy` maps it again, privately: the arrays it
returns are exact, writable ``numpy.ndarray`` objects whose pages are shared until someone writes to
one, and a write changes only that mapping. So every test gets pristine data, whatever a previous
submission's calls did to its own copy, without building or copying it.

Linux only (``os.memfd_create`` and file seals); `available` says whether this process can.
"""

from __future__ import annotations

import mmap
import os

import numpy as np

try:
    import fcntl
except ImportError:  # not a POSIX system: `available` says no
    fcntl = None

_SEALS = ("F_SEAL_SEAL", "F_SEAL_SHRINK", "F_SEAL_GROW", "F_SEAL_WRITE")


def available() -> bool:
    """Whether this platform has sealed memory files (Linux with Python's ``os.memfd_create``)."""
    return hasattr(os, "memfd_create") and fcntl is not None and \
        all(hasattr(fcntl, s) for s in ("F_ADD_SEALS",) + _SEALS)


class FrozenArrays:
    """Named arrays in one sealed memory file.

    Parameters
    ----------
    arrays : dict of str to ndarray
        Numeric or bool arrays of any shape; their values are copied into the file once.

    Raises
    ------
    OSError
        The memory file could not be created, written or sealed (see `available`).
    """

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._layout: dict[str, tuple[int, np.dtype, tuple[int, ...]]] = {}
        offset = 0
        for name, value in arrays.items():
            value = np.asarray(value)
            if value.dtype.kind not in "biufc" or value.dtype.fields is not None:
                raise TypeError(f"{name}: only numeric or bool arrays can be frozen, not {value.dtype}")
            offset = -(-offset // mmap.PAGESIZE) * mmap.PAGESIZE  # each array on its own pages
            self._layout[name] = (offset, value.dtype, value.shape)
            offset += value.nbytes
        self.nbytes = max(offset, 1)
        fd = os.memfd_create("backprop-course-frozen", os.MFD_CLOEXEC | os.MFD_ALLOW_SEALING)
        try:
            os.ftruncate(fd, self.nbytes)
            for name, value in arrays.items():
                data = memoryview(np.ascontiguousarray(value).reshape(-1).view(np.uint8))
                at = self._layout[name][0]
                while data:  # pwrite may write less than asked
                    done = os.pwrite(fd, data, at)
                    data, at = data[done:], at + done
            fcntl.fcntl(fd, fcntl.F_ADD_SEALS, fcntl.F_SEAL_SHRINK | fcntl.F_SEAL_GROW | fcntl.F_SEAL_WRITE
                        | fcntl.F_SEAL_SEAL)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd

    def copy(self) -> dict[str, np.ndarray]:
        """A private copy-on-write copy of every array (same names, dtypes, shapes and values).

        Returns
        -------
        arrays : dict of str to ndarray
            Exact, C-contiguous, writable ``numpy.ndarray`` objects; writing into one changes only it
            (and views of it), never the frozen values or another copy.
        """
        if self._fd < 0:
            raise ValueError("these frozen arrays were closed")
        mapping = mmap.mmap(self._fd, self.nbytes, access=mmap.ACCESS_COPY)
        out = {}
        for name, (offset, dtype, shape) in self._layout.items():
            count = int(np.prod(shape, dtype=np.int64))
            out[name] = np.frombuffer(mapping, dtype=dtype, count=count, offset=offset).reshape(shape) if count \
                else np.empty(shape, dtype)  # nothing to share
        return out

    def close(self) -> None:
        """Release the memory file (copies already handed out stay valid until they are dropped)."""
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self):
        try:
            self.close()
        except Exception:  # noqa: BLE001 - interpreter shutdown
            pass
