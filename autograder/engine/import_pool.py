"""Where the coordinator imports results: in its own process, or in a pool of import processes.

Importing a result (`importer.import_result`: nbgrader's bookkeeping and ``SaveAutoGrades`` on the
notebook the worker's Autograde wrote) takes the coordinator about 0.2 s, nearly all of it SQLAlchemy
and nbgrader's Python code, so one process imports about five results a second. That is enough for a
few workers, but with short notebooks (a3's take 3-4 s on a worker) the coordinator would be the
limit from about 15 workers on. Above `POOL_FROM_THREADS` worker threads the imports therefore go to
a pool of processes that each import whole results into the course; the gradebook is SQLite, which
serialises their short write transactions (each waits for the others, up to SQLite's busy timeout).
The ledger and the grade log are still written by the coordinator alone, in the order imports finish.

Both kinds have the same face, `submit(function, *args) -> concurrent.futures.Future`, so the
coordinator's loop does not care which one it has.
"""

from __future__ import annotations

import multiprocessing
from concurrent.futures import Future, ProcessPoolExecutor

#: Worker threads from which `import_processes` gives a pool (fewer: the coordinator imports itself).
POOL_FROM_THREADS = 8

#: Most import processes `import_processes` picks.
MAX_PROCESSES = 8


def import_processes(threads: int) -> int:
    """How many import processes suit a run on this many worker threads (0: import in this process).

    One process for each 4 worker threads, at least 2 and at most `MAX_PROCESSES`, from
    `POOL_FROM_THREADS` threads on: each imports about five results a second, and a worker with
    short notebooks (3-4 s) delivers one every 3-4 s.

    Parameters
    ----------
    threads : int
        Worker threads of the Dask cluster.

    Returns
    -------
    processes : int
    """
    if threads < POOL_FROM_THREADS:
        return 0
    return max(2, min(MAX_PROCESSES, threads // 4))


class InProcess:
    """Runs each import here and now; its futures are done when `submit` returns."""

    size = 1

    def submit(self, function, *args) -> Future:
        """Run ``function(*args)``; a future holding its result or its exception."""
        future: Future = Future()
        try:
            future.set_result(function(*args))
        except BaseException as exc:  # noqa: BLE001 - the caller reads it from the future
            future.set_exception(exc)
        return future

    def close(self) -> None:
        """Nothing to release."""


class ProcessPool:
    """A pool of ``size`` import processes (started with ``spawn``: the coordinator has threads).

    Parameters
    ----------
    size : int
    """

    def __init__(self, size: int):
        self.size = int(size)
        self._executor = ProcessPoolExecutor(self.size, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_quiet)

    def submit(self, function, *args) -> Future:
        """``function(*args)`` in one of the processes."""
        return self._executor.submit(function, *args)

    def close(self) -> None:
        """Wait for the imports in progress, then stop the processes."""
        self._executor.shutdown(wait=True)


def _quiet() -> None:
    from ..course.config import quiet_gradebook_warnings
    from ..import_costs import skip_unused_optional_imports

    skip_unused_optional_imports()  # a pool started from another program (tests) imports nbformat here too
    quiet_gradebook_warnings()


def open_pool(processes: int):
    """`ProcessPool` of ``processes`` processes, or `InProcess` for 0."""
    return ProcessPool(processes) if processes > 0 else InProcess()
