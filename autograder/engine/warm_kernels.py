"""Warm kernels: the next submission's kernel starts while the current notebook runs.

A cold start costs every notebook 1-2 s before its first cell (Python, ipykernel, then the guard's
imports of numpy, matplotlib and the check library). Each worker process therefore keeps one *spare*:
a new `JobDir` with a kernel already started in its empty ``student/`` folder, launched exactly as a
cold start of a job with the same `KernelSettings` would launch it (same kernelspec, limits, guard,
environment, arguments and working directory). The next job with those settings is graded *in* the
spare's directory: its files are written into ``student/`` and its first notebook runs on that kernel.

Why this does not weaken the guard or mix submissions:

* the guard's roots (the kernel's working directory and its ``TMPDIR``) are fixed at launch, and they
  are the job's own folders, because the directory becomes the job's; nothing else is handed over;
* the spare starts before any submission's file exists in it, and it is idle until its job arrives:
  no student code has run in it;
* a kernel serves one notebook and is shut down after it (`Spare.take` hands it out once); a spare
  whose settings do not match the job, or that died while waiting, is killed and the job starts cold.

Spares are launched by one long-lived thread per worker process, so the kernel's ``PR_SET_PDEATHSIG``
(see `kernel_launcher`), which follows the launching thread, fires only when the worker process ends.
On Linux a spare's kernel is forked from the worker's preloaded zygote (`zygote`, `forked_kernels`):
the same launcher, arguments, directory and environment, without paying for the imports again.
"""

from __future__ import annotations

import atexit
import multiprocessing.util
import os
import signal
import threading
import uuid
from concurrent.futures import Future, ThreadPoolExecutor

from .forked_kernels import ForkingProvisioner, Zygotes, forking_enabled
from .job_dir import JobDir, KernelSettings

#: ``--HistoryManager.hist_file`` value nbclient passes to IPython kernels (``NotebookClient.ipython_hist_file``).
HIST_FILE = ":memory:"


def launch_arguments(kernel_name: str, extra_arguments, hist_file: str | None = HIST_FILE) -> list[str]:
    """The arguments nbclient's ``start_new_kernel`` adds to a kernel's command line.

    Parameters
    ----------
    kernel_name : str
    extra_arguments : list of str
        ``NotebookClient.extra_arguments``.
    hist_file : str or None
        ``NotebookClient.ipython_hist_file``.

    Returns
    -------
    arguments : list of str
    """
    args = list(extra_arguments)
    if kernel_name in {"python", "python2", "python3"} and hist_file \
            and not any(a.startswith("--HistoryManager.hist_file") for a in args):
        args.append(f"--HistoryManager.hist_file={hist_file}")
    return args


def _kill(km) -> None:
    """Kill a kernel's process group and remove its connection file; never raises."""
    process = getattr(getattr(km, "provisioner", None), "process", None)
    if process is not None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            try:
                process.kill()
            except OSError:
                pass
        try:
            process.wait(timeout=10)
        except Exception:  # noqa: BLE001 - gone already
            pass
    try:
        km.cleanup_connection_file()
    except Exception:  # noqa: BLE001
        pass


class Spare:
    """A job directory, with a started kernel until `take` hands it out.

    Parameters
    ----------
    job_dir : JobDir
    km : jupyter_client.AsyncKernelManager or None
        The kernel started in ``job_dir.student`` (None: a cold directory).
    kernel_name : str
    arguments : list of str
        The `launch_arguments` it was started with.
    """

    def __init__(self, job_dir: JobDir, km=None, kernel_name: str = "", arguments=()):
        self.job_dir, self.km, self.kernel_name, self.arguments = job_dir, km, kernel_name, list(arguments)
        self.error = ""  #: why no kernel was started, when none was

    def __copy__(self):
        return self  # a handle on one kernel: nbgrader deep-copies its configuration, which holds it

    def __deepcopy__(self, memo):
        return self

    def alive(self) -> bool:
        """The kernel process is still running."""
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        return process is not None and process.poll() is None

    def take(self, kernel_name: str, cwd: str, arguments) -> object | None:
        """The started kernel manager, once, when it was launched as this notebook's kernel would be.

        Parameters
        ----------
        kernel_name : str
            The kernel the notebook asks for.
        cwd : str
            The working directory its kernel would start in.
        arguments : list of str
            The `launch_arguments` its kernel would get.

        Returns
        -------
        km : AsyncKernelManager or None
            None (start a kernel as usual) when there is none left, it differs in any of these, or it died.
        """
        km, self.km = self.km, None
        if km is None:
            return None
        same = (kernel_name == self.kernel_name and os.path.realpath(cwd) == os.path.realpath(self.job_dir.student)
                and list(arguments) == self.arguments)
        process = getattr(getattr(km, "provisioner", None), "process", None)
        if same and process is not None and process.poll() is None:
            return km
        _kill(km)
        return None

    def discard(self) -> None:
        """Kill the kernel (if not handed out) and delete the directory."""
        if self.km is not None:
            _kill(self.km)
            self.km = None
        self.job_dir.remove()


def start_spare(settings: KernelSettings) -> Spare:
    """A new `JobDir` with its kernel started (launched; it finishes booting on its own).

    The kernel is the first of ``settings.names`` (an assignment's notebooks nearly always share one);
    when it cannot be launched, the directory is returned cold.
    """
    from jupyter_client import AsyncKernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_core.utils import run_sync

    _clean_up_at_exit()
    job_dir = JobDir(settings)
    name = sorted(settings.names)[0][0]
    arguments = launch_arguments(name, [])
    try:
        km = AsyncKernelManager(kernel_name=name, **job_dir.kernel_manager_options(),
                                kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(job_dir.jupyter / "kernels")]))
        if forking_enabled():  # forked from this worker's zygote (see `zygote`) when it can serve the kernel
            km.kernel_id = str(uuid.uuid4())
            km.provisioner = ForkingProvisioner(kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km)
            km.provisioner.zygotes = ZYGOTES
        run_sync(km.start_kernel)(extra_arguments=arguments, cwd=str(job_dir.student), env=job_dir.kernel_environ())
    except Exception as exc:  # noqa: BLE001 - the job then starts its kernel cold
        spare = Spare(job_dir)
        spare.error = f"{type(exc).__name__}: {exc}"
        return spare
    return Spare(job_dir, km, name, arguments)


class SparePool:
    """At most one spare per process, started in a background thread for the next job."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next: Future | None = None
        self.miss = ""  #: why the last `take` returned None
        self._executor: ThreadPoolExecutor | None = None

    def _thread(self) -> ThreadPoolExecutor:
        if self._executor is None:  # one long-lived thread: the kernels' parent (PR_SET_PDEATHSIG)
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="autograder-warm-kernel")
        return self._executor

    def take(self, settings: KernelSettings) -> Spare | None:
        """The spare when it was started for these settings (else it is discarded and None returned)."""
        with self._lock:
            future, self._next = self._next, None
        self.miss = ""
        if future is None:
            self.miss = "no spare was started"
            return None
        try:
            spare = future.result()
        except Exception as exc:  # noqa: BLE001 - the job starts cold
            self.miss = f"the spare could not be started: {type(exc).__name__}: {exc}"
            return None
        if spare.job_dir.settings == settings and spare.km is not None and spare.alive():
            return spare
        self.miss = ("the spare was started for other settings" if spare.job_dir.settings != settings
                     else f"the spare's kernel could not be started: {spare.error}" if spare.km is None
                     else "the spare's kernel died while it waited")
        spare.discard()
        return None

    def prepare(self, settings: KernelSettings) -> None:
        """Start the next spare now, in the background (replacing one not taken)."""
        with self._lock:
            old, self._next = self._next, self._thread().submit(start_spare, settings)
        if old is not None:
            old.add_done_callback(_discard_result)

    def close(self) -> None:
        """Discard the spare (kill its kernel, delete its directory)."""
        with self._lock:
            future, self._next = self._next, None
        if future is not None:
            _discard_result(future)


def _discard_result(future: Future) -> None:
    try:
        future.result().discard()
    except Exception:  # noqa: BLE001
        pass


#: This process's spares (a grading worker grades one job at a time).
SPARES = SparePool()
#: This process's zygotes, which fork the spares' kernels (`zygote`).
ZYGOTES = Zygotes()


def _close_all() -> None:
    """The spare's kernel and directory, then the zygotes (and any kernel of theirs): nothing left behind."""
    SPARES.close()
    ZYGOTES.close()


_CLEAN_UP_IN: list[int] = []  # the process that registered `_close_all` for its exit


def _clean_up_at_exit() -> None:
    """Have `_close_all` run when this process ends (registered once per process, when it starts a kernel).

    Registered here rather than at import: a worker that multiprocessing forked (Dask's forkserver, see
    `worker_processes`) inherits the atexit handlers of the server that imported this module but ends with
    ``os._exit`` after multiprocessing's finalizers only (and those of the server are cleared in it). So
    both are registered, by the process itself; `_close_all` is idempotent.
    """
    if _CLEAN_UP_IN == [os.getpid()]:
        return
    _CLEAN_UP_IN[:] = [os.getpid()]
    atexit.register(_close_all)
    multiprocessing.util.Finalize(None, _close_all, exitpriority=20)
