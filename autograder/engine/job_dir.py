"""The scratch directory one job is graded in, and the kernelspecs its kernels start from.

Every job gets a fresh directory (``autograder-job-*`` under the temporary directory) that holds:

* ``student/``: the kernel's working directory, with the student's own files and nothing else (the
  guard's read and write roots are this folder and ``kernel-tmp/``, fixed when the kernel starts);
* ``kernel-tmp/``: the kernel's private ``TMPDIR``; ``guard-report.txt``: where the guard writes what it found;
* ``jupyter/kernels/<name>/kernel.json``: kernelspecs that start `kernel_launcher` under the job's limits;
* ``course/``: the scratch course nbgrader's Autograde runs in (written by the worker);
* with network isolation, a short IPC directory for ZeroMQ's Unix sockets (at most 107 bytes a path).

The directory exists before the job's files do, so the next job's kernel can start in it while the
current job runs (`warm_kernels`): everything the kernel's launch depends on is here and in
`KernelSettings`, nothing of the submission.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: Set for the workers and the kernels: one BLAS/OpenMP thread per kernel, one kernel per core.
THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

#: Variables of the worker's environment its kernels do not inherit. Dask's nanny sets
#: ``MALLOC_TRIM_THRESHOLD_=65536`` for its worker processes (``distributed.nanny.pre-spawn-environ``);
#: in a kernel it switches off glibc's dynamic mmap threshold, so every numpy temporary above 128 KiB is
#: a fresh mmap with its page faults, and a2's MNIST training ran twice as long (15 s -> 30 s).
WORKER_ONLY_ENV = ("MALLOC_TRIM_THRESHOLD_",)


def kernel_names(source: dict[str, bytes]) -> frozenset[tuple[str, str]]:
    """``(name, display name)`` of the Python kernels the assignment's notebooks ask for."""
    names = set()
    for rel, data in source.items():
        if rel.endswith(".ipynb"):
            try:
                spec = json.loads(data).get("metadata", {}).get("kernelspec", {})
            except ValueError:
                continue
            if spec.get("language", "python") == "python":
                names.add((spec.get("name") or "python3", spec.get("display_name") or "Python 3"))
    return frozenset(names or {("python3", "Python 3")})


def write_kernelspecs(jupyter_dir: Path, names, memory_mb: int | None, output_mb: float = 0,
                      guard_report: str = "", guard_tmp: str = "", isolate_network: bool = False,
                      judge: bool = False) -> Path:
    """Kernelspecs named like the notebooks' kernels that start `kernel_launcher` under the limits.

    Parameters
    ----------
    jupyter_dir : Path
        Becomes ``JUPYTER_PATH``; specs go to ``<jupyter_dir>/kernels/<name>/kernel.json``.
    names : iterable of (str, str)
        Kernel names and display names.
    memory_mb : int or None
    output_mb : float
        The kernel's own output cap (0: none), see ``kernel_launcher``.
    guard_report, guard_tmp : str
        When set, the kernel runs under `guard`, writing findings to ``guard_report``; ``guard_tmp``
        becomes its private, writable ``TMPDIR``.
    isolate_network : bool
        Start the kernel in its own network namespace (talk to it over IPC, see `sandbox`).
    judge : bool
        Install the judge's request handler (`autograder.judge.server`) in the kernel.

    Returns
    -------
    jupyter_dir : Path
    """
    env = dict(THREAD_ENV)
    if memory_mb:
        # glibc gives each thread its own 64 MiB malloc arena: address space, not memory. Two arenas keep
        # an idle kernel near 0.2 GiB of address space instead of 0.7 GiB, so the cap means memory.
        env["MALLOC_ARENA_MAX"] = "2"
    if guard_tmp:
        env["TMPDIR"] = guard_tmp
    for name, display in names:
        spec = {
            "argv": [sys.executable, "-m", "autograder.engine.kernel_launcher", "--memory-mb", str(int(memory_mb or 0)),
                     "--output-mb", f"{float(output_mb or 0):g}"]
            + (["--guard-report", guard_report] + (["--guard-write", guard_tmp] if guard_tmp else [])
               if guard_report else [])
            + (["--isolate-network"] if isolate_network else [])
            + (["--judge"] if judge else [])
            + ["-f", "{connection_file}"],
            "display_name": display,
            "language": "python",
            "env": env,
            "metadata": {"debugger": True},
        }
        folder = Path(jupyter_dir) / "kernels" / name
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return Path(jupyter_dir)


_WORKER_ENVIRON: dict[str, str] = {}


def worker_environ() -> dict[str, str]:
    """The process's environment as it was at its first job: what its kernels inherit.

    Grading changes the worker's own environment as it imports (scikit-learn sets ``KMP_*`` variables, the
    tools put their ``bin`` folder on ``PATH``); kernels started later, cold or warm, still get this one, so
    every kernel of a worker starts alike and a spare started before such an import still fits the job.
    """
    if not _WORKER_ENVIRON:
        _WORKER_ENVIRON.update(os.environ)
    return dict(_WORKER_ENVIRON)


@dataclass(frozen=True)
class KernelSettings:
    """Everything a job's kernel launch depends on besides its directory: jobs with equal settings can
    use each other's warm kernels (`warm_kernels`)."""

    names: frozenset            #: ``(name, display name)`` of the kernels the notebooks ask for
    memory_mb: int | None
    output_mb: float
    guard: bool
    judge: bool
    isolate: bool               #: own network namespace, ZeroMQ over IPC
    #: the worker's environment the kernels inherit, as sorted ``(name, value)`` pairs
    environ: tuple = ()

    @classmethod
    def for_job(cls, limits, source: dict[str, bytes], environ=None) -> "KernelSettings":
        """The settings of a job with these `Limits` on an assignment with these source files.

        ``environ`` defaults to `worker_environ`: the same for every job of this process."""
        from .sandbox import probe

        environ = {k: v for k, v in (worker_environ() if environ is None else environ).items()
                   if k not in WORKER_ONLY_ENV}
        return cls(kernel_names(source), limits.memory_mb, float(limits.output_cap_mb), bool(limits.guard),
                   bool(limits.judge), bool(limits.guard) and probe()[0], tuple(sorted(environ.items())))


class JobDir:
    """A job's scratch directory (see the module docstring); `remove` deletes it.

    Parameters
    ----------
    settings : KernelSettings
    parent : str or None
        Where to create it (default: the temporary directory).
    """

    def __init__(self, settings: KernelSettings, parent: str | None = None):
        self.settings = settings
        self.root = Path(tempfile.mkdtemp(prefix="autograder-job-", dir=parent))
        self.student = self.root / "student"
        self.student.mkdir()
        self.report = self.root / "guard-report.txt" if settings.guard else None
        self.kernel_tmp = self.root / "kernel-tmp" if settings.guard else None
        if self.kernel_tmp is not None:
            self.kernel_tmp.mkdir()
        self.jupyter = write_kernelspecs(self.root / "jupyter", settings.names, settings.memory_mb,
                                         settings.output_mb, str(self.report or ""), str(self.kernel_tmp or ""),
                                         settings.isolate, settings.judge)
        self.ipc = None
        if settings.isolate:  # Unix socket paths have at most 107 bytes: keep it short
            self.ipc = Path(tempfile.mkdtemp(prefix="ag-ipc-", dir="/tmp" if len(str(self.root)) > 60 else str(self.root)))

    @property
    def jupyter_path(self) -> str:
        """``JUPYTER_PATH`` for the job: its kernelspecs first, then the worker's own (other languages)."""
        inherited = dict(self.settings.environ).get("JUPYTER_PATH", "")
        return os.pathsep.join(p for p in (str(self.jupyter), inherited) if p)

    def kernel_environ(self) -> dict[str, str]:
        """The environment a kernel of this job starts with (before its kernelspec's ``env``): the worker's,
        less `WORKER_ONLY_ENV`, with the job's ``JUPYTER_PATH`` and matplotlib's Agg backend."""
        return {**dict(self.settings.environ), "JUPYTER_PATH": self.jupyter_path, "MPLBACKEND": "Agg"}

    def process_environ(self) -> dict[str, str]:
        """What the worker process's environment gets while the job runs (nbgrader finds the job's kernelspecs)."""
        return {"JUPYTER_PATH": self.jupyter_path, "MPLBACKEND": "Agg"}

    def kernel_manager_options(self) -> dict:
        """``KernelManager`` options: ZeroMQ over IPC sockets in `ipc` when the kernel has no network."""
        return {"transport": "ipc", "ip": str(self.ipc / "k")} if self.ipc is not None else {}

    def remove(self) -> None:
        """Delete the directory and the IPC sockets' directory."""
        if self.ipc is not None:
            shutil.rmtree(self.ipc, ignore_errors=True)
        shutil.rmtree(self.root, ignore_errors=True)
