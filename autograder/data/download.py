"""Downloading files over HTTP(S) with retries and a progress bar (standard library + tqdm)."""

from __future__ import annotations

import os
import tempfile
import time
import urllib.request
from pathlib import Path

USER_AGENT = "backprop-course-data-loader/0.1"


def fetch(url: str, dest: Path, *, progress: bool = True, timeout: float = 30.0) -> Path:
    """Download `url` to `dest` (atomically: a temporary file is renamed at the end).

    Parameters
    ----------
    url : str
    dest : Path
    progress : bool
        Show a tqdm progress bar on stderr.
    timeout : float
        Seconds to wait for the server.

    Returns
    -------
    dest : Path
    """
    from tqdm import tqdm

    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=dest.name, suffix=".part")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response, os.fdopen(fd, "wb") as out:
            total = int(response.headers.get("Content-Length") or 0) or None
            with tqdm(total=total, unit="B", unit_scale=True, desc=dest.name, disable=not progress) as bar:
                while chunk := response.read(1 << 16):
                    out.write(chunk)
                    bar.update(len(chunk))
        os.replace(tmp, dest)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def fetch_with_retries(urls: list[str], dest: Path, *, attempts: int = 3, progress: bool = True,
                       backoff: float = 1.0, fetcher=None) -> tuple[Path | None, list[str]]:
    """Try each URL in turn, each up to `attempts` times with exponential backoff.

    Parameters
    ----------
    urls : list of str
        Mirrors, in order of preference.
    dest : Path
    attempts : int
    progress : bool
    backoff : float
        Seconds before the first retry (doubled each time).
    fetcher : callable or None
        ``fetcher(url, dest, progress=...)``; default `fetch` (tests substitute their own).

    Returns
    -------
    path : Path or None
        `dest` on success, None when every mirror failed.
    errors : list of str
        One line per failed attempt.
    """
    fetcher = fetcher or fetch
    errors = []
    for url in urls:
        for attempt in range(attempts):
            try:
                return fetcher(url, dest, progress=progress), errors
            except Exception as exc:  # network errors come in many types
                errors.append(f"{url}: {type(exc).__name__}: {exc}")
                if attempt + 1 < attempts:
                    time.sleep(backoff * 2 ** attempt)
    return None, errors


__all__ = ["fetch", "fetch_with_retries"]
