"""Downloading files over HTTP(S) with retries, backoff and a progress bar (standard library + tqdm).

Only :mod:`urllib` is used for the network. `fetch` is the one function that touches the network;
tests replace it with ``monkeypatch.setattr(autograder.data.download, "fetch", fake)``.
"""

from __future__ import annotations

import os
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Callable

USER_AGENT = "backprop-course-data-loader/0.1"
#: Tries per mirror for transient (network) errors.
ATTEMPTS = 3
#: Seconds before the first retry on the same mirror; doubled after each failure.
BACKOFF = 1.0
#: Seconds to wait for the server to answer (connect and each read).
TIMEOUT = 30.0


def fetch(url: str, dest: Path, *, progress: bool = True, timeout: float | None = None) -> Path:
    """Download `url` to `dest` atomically (a temporary file in the same folder is renamed at the end).

    Parameters
    ----------
    url : str
        Address of the file.
    dest : Path
        Where the file goes; its folder is created if needed.
    progress : bool, default=True
        Show a tqdm progress bar (bytes) on stderr.
    timeout : float or None, default=None
        Seconds to wait for the server; None means `TIMEOUT`.

    Returns
    -------
    dest : Path
        The downloaded file.
    """
    from tqdm import tqdm

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix="." + dest.name, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out, \
                urllib.request.urlopen(request, timeout=TIMEOUT if timeout is None else timeout) as response:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, disable=not progress) as bar:
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    bar.update(len(chunk))
        if total is not None and os.path.getsize(tmp) != total:
            raise OSError(f"connection closed after {os.path.getsize(tmp)} of {total} bytes")
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def fetch_with_retries(urls: list[str], dest: Path, *, progress: bool = True,
                       check: Callable[[Path], None] | None = None,
                       attempts: int | None = None, backoff: float | None = None) -> tuple[Path | None, list[str]]:
    """Download the first of `urls` that works to `dest`, verifying it before it lands there.

    Each URL is tried up to `attempts` times with exponential backoff on network errors. The file
    is first written to a temporary name beside `dest` and only renamed to `dest` once `check`
    accepts it. A ``ValueError`` from `check` (wrong checksum, damaged gzip) moves on to the next
    URL at once: asking the same mirror again would give the same bytes.

    Parameters
    ----------
    urls : list of str
        Mirrors, in order of preference.
    dest : Path
        Final location of the file.
    progress : bool, default=True
        Show a progress bar per download.
    check : callable or None, default=None
        ``check(path)`` raises ``ValueError`` when the downloaded file at `path` is not acceptable.
    attempts : int or None, default=None
        Tries per URL; None means `ATTEMPTS`.
    backoff : float or None, default=None
        Seconds before the first retry (doubled each time); None means `BACKOFF`.

    Returns
    -------
    path : Path or None
        `dest` on success, None when every URL failed.
    errors : list of str
        One line per URL that failed (with the number of tries and the last error).
    """
    attempts = ATTEMPTS if attempts is None else attempts
    backoff = BACKOFF if backoff is None else backoff
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Keep the real suffix (".gz") at the end so that the check can tell how to read the file.
    tmp = dest.with_name(".download-" + dest.name)
    errors = []
    for url in urls:
        for attempt in range(1, attempts + 1):
            try:
                fetch(url, tmp, progress=progress)
                if check is not None:
                    check(tmp)
                os.replace(tmp, dest)
                return dest, errors
            except ValueError as exc:  # the content is wrong: this mirror will not do better
                errors.append(f"{url}: downloaded but rejected: {exc}")
                break
            except Exception as exc:  # network errors come in many types (URLError, OSError, timeouts...)
                if attempt == attempts:
                    errors.append(f"{url}: failed {attempts} time(s), last error {type(exc).__name__}: {exc}")
                else:
                    time.sleep(backoff * 2 ** (attempt - 1))
            finally:
                tmp.unlink(missing_ok=True)
    return None, errors


__all__ = ["fetch", "fetch_with_retries", "ATTEMPTS", "BACKOFF", "TIMEOUT"]
