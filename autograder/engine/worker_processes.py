"""The local cluster's worker processes, forked from a server that has imported the grading code once.

Why: a worker process started the usual way (``spawn``) spends 2-3 s of CPU importing Dask, nbgrader,
nbconvert, SQLAlchemy, numpy and the judge before its first notebook, on cores that are already busy
with the other workers' kernels; a run on N workers pays that N times (and the course's CI starts many
small runs). With ``forkserver``, Python's multiprocessing starts one server process that imports
`PRELOAD` and forks each worker from it: the imports are paid once, the workers share their pages.

The server is started with the environment the workers would otherwise inherit (this process's, plus
the cluster's ``env``), so numpy's threads and everything else read at import time are what a spawned
worker would read. A server started earlier in this process for another environment is stopped and a
new one started; where that is not possible (or ``forkserver`` is missing), the cluster spawns its
workers as before.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager

#: Modules every grading worker imports for its first job (besides Dask's own, which Dask adds); first the
#: command line's module, which marks the unused optional imports absent before nbformat is imported.
PRELOAD = ("autograder.cli", "autograder.engine.worker", "autograder.engine.autograde", "autograder.engine.guarded_execute",
           "autograder.engine.warm_kernels", "autograder.judge.execute", "autograder.checks", "nbgrader.api",
           "nbgrader.converters", "nbgrader.preprocessors", "nbconvert", "sqlalchemy", "jupyter_client", "numpy")

_LOCK = threading.Lock()


@contextmanager
def _environ(env: dict[str, str]):
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextmanager
def forked_workers(env: dict[str, str]):
    """Dask configuration that makes a local cluster fork its workers from a preloaded server, for its lifetime.

    Starts the server (in this process's environment updated with ``env``) and stops it at the end, once
    the cluster has closed: so each cluster's server has the environment of its time, and the server is
    reaped (with the CPU time of the workers it reaped) by this process.

    Parameters
    ----------
    env : dict of str to str
        What the cluster adds to the workers' environment.

    Yields
    ------
    config : dict
        For ``dask.config.set`` around the cluster's creation; empty where workers are spawned as usual
        (no ``forkserver`` here, or a server already running for another cluster of this process).
    """
    import multiprocessing

    if sys.platform != "linux" or "forkserver" not in multiprocessing.get_all_start_methods():
        yield {}
        return
    from multiprocessing import forkserver

    server = forkserver._forkserver
    if not _LOCK.acquire(blocking=False):  # another cluster of this process has the server
        yield {}
        return
    try:
        if getattr(server, "_forkserver_pid", None) is not None or not hasattr(server, "_stop"):
            yield {}  # not ours to stop (or no way to): spawn as before
            return
        config = _start(server, env)
        try:
            yield config
        finally:
            if config:
                _stop(server)
    finally:
        _LOCK.release()


def _start(server, env: dict[str, str]) -> dict:
    import dask
    from multiprocessing import forkserver

    config = {"distributed.worker.multiprocessing-method": "forkserver"}
    with dask.config.set(config):
        from distributed.utils import get_mp_context

        context = get_mp_context()  # sets Dask's own preload list, once per process
    modules = list(getattr(server, "_preload_modules", None) or ["distributed"])
    context.set_forkserver_preload(modules + [m for m in PRELOAD if m not in modules])
    try:
        with _environ({**os.environ, **env}):
            forkserver.ensure_running()
    except OSError:
        return {}
    return config


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (Linux ``/proc``)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    stat = f.read()
            except OSError:
                continue
            if int(stat[stat.rfind(b")") + 2:].split()[1]) == pid:
                found.append(int(entry))
    return found


def _stop(server, timeout: float = 10.0) -> None:
    """Stop the server once it has reaped the workers it forked (they have been told to end with the cluster):
    a server stopped first would leave them to init, and their CPU time out of this process's accounts."""
    import time

    pid, deadline = server._forkserver_pid, time.monotonic() + timeout
    while pid is not None and _children(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    server._stop()
