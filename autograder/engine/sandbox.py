"""The operating-system part of the grading sandbox: a kernel in its own network namespace.

On Linux with unprivileged user namespaces (most distributions; check with ``unshare -rn true``), the
kernel launcher calls ``unshare(CLONE_NEWUSER | CLONE_NEWNET)`` before ipykernel starts: the kernel
then has no network interface at all (not even the host's loopback), whatever Python or compiled code
it runs. The grading worker talks to such a kernel over ZeroMQ's IPC transport (Unix sockets in the
job's scratch directory), which needs no network. File isolation is the kernel guard's work
(`guard`); for a file-system sandbox below Python, run the workers under bubblewrap or in containers.

`probe` says whether this machine can do it; `autograder grade` prints the answer at the start.
"""

from __future__ import annotations

import subprocess
import sys
from functools import lru_cache

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def unshare_network() -> str:
    """Move this (single-threaded) process into new user and network namespaces.

    Returns
    -------
    error : str
        Empty on success, else why it failed.
    """
    if not sys.platform.startswith("linux"):
        return f"not available on {sys.platform}"
    import ctypes
    import os

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) != 0:
            return f"unshare failed: {os.strerror(ctypes.get_errno())}"
    except (OSError, AttributeError) as exc:
        return f"unshare unavailable: {exc}"
    return ""


@lru_cache(maxsize=1)
def probe() -> tuple[bool, str]:
    """Whether kernels on this machine can run without network (tried in a child process, once).

    Returns
    -------
    available, detail : bool, str
    """
    code = ("import sys, socket\nfrom autograder.engine.sandbox import unshare_network\n"
            "err = unshare_network()\nprint(err); sys.exit(1 if err else 0)")
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        return False, str(exc)
    if proc.returncode == 0:
        return True, "network namespace (no network in the kernel)"
    return False, (proc.stdout.strip() or proc.stderr.strip()[-300:] or "unshare failed")


def describe(guard: bool, judge: bool = True) -> str:
    """The line `autograder grade` prints about isolation before it starts."""
    netns, detail = probe()
    guard_text = "kernel guard on (files outside the notebook's folder, network, processes, tampering)" if guard \
        else "kernel guard OFF (--no-guard)"
    guard_text = ("test cells decided by the judge (outside the student's kernel); " if judge
                  else "test cells run IN the student's kernel (--no-judge); ") + guard_text
    if netns:
        return f"isolation: {guard_text}; OS sandbox: {detail}"
    return (f"isolation: {guard_text}; WARNING: no OS sandbox on this machine ({detail}): the kernels share this "
            "machine's network and file system below Python. Enable unprivileged user namespaces "
            "(sysctl kernel.unprivileged_userns_clone=1) or run the Dask workers under bubblewrap / in containers.")
