"""The worker side: grade one submission in a scratch course directory and send back what happened.

`grade_job` is a top-level function, so Dask can ship it to any worker that has this package
installed. It builds a throw-away course directory from the job (configuration, the assignment's
source files, a snapshot of the gradebook, the submission), runs nbgrader's Autograde there with
`GuardedExecute` in place of ``Execute``, and returns the executed notebook(s), the scratch gradebook's
scores, timings and the limits that were hit. It never writes anywhere but its temporary directory.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .jobs import Job, JobResult, NotebookRun, Shared, write_tree

#: Set for the workers and the kernels: one BLAS/OpenMP thread per kernel, one kernel per core.
THREAD_ENV = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

# nbgrader changes the working directory and the environment of the process while it runs, so
# one job at a time per process (a LocalCluster worker has a single thread anyway).
_LOCK = threading.Lock()


@contextmanager
def _environ(values: dict[str, str]):
    old = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def kernel_names(source: dict[str, bytes]) -> set[tuple[str, str]]:
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
    return names or {("python3", "Python 3")}


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


def read_auto_scores(course_root: Path, assignment: str, student: str) -> dict[str, float | None]:
    """``grade_id -> auto_score`` of one submission in a course's gradebook (empty when absent)."""
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.coursedir import CourseDirectory

    from ..course.config import load_config

    coursedir = CourseDirectory(config=load_config(course_root))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return {}
        return {g.name: (None if g.auto_score is None else float(g.auto_score))
                for nb in submission.notebooks for g in nb.grades}


def limit_reasons(executed: str, memory_mb: int | None) -> list[str]:
    """Reasons read off an executed notebook: cells nbgrader timed out, memory errors under a cap."""
    import nbformat

    from .guarded_execute import _cell_name

    nb = nbformat.reads(executed, as_version=4)
    reasons = []
    for index, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if out.get("output_type") != "error":
                continue
            if out.get("ename") == "CellTimeoutError":
                reasons.append(f"cell timeout in {_cell_name(cell, index)}")
            elif out.get("ename") == "MemoryError" and memory_mb:
                reasons.append(f"MemoryError in {_cell_name(cell, index)} (memory cap {int(memory_mb)} MiB)")
    return reasons


def _run(job: Job, shared: Shared, tmp: Path) -> JobResult:
    from traitlets.config import Config

    from ..course.config import CONFIG_NAME
    from ..judge.execute import JudgedExecute
    from .autograde import autograde_with

    root = tmp / "course"
    root.mkdir()
    (root / CONFIG_NAME).write_text(shared.config_text, encoding="utf-8")
    (root / "gradebook.db").write_bytes(shared.gradebook)
    write_tree(root / "source" / shared.assignment, shared.source)
    submitted = root / "submitted" / job.student / shared.assignment
    submitted.mkdir(parents=True)  # an empty submission is an empty folder, as in the course
    write_tree(submitted, job.files)
    # The kernel's working directory: the student's own files and nothing else (nbgrader's autograded/
    # folder would hold the notebook with the hidden tests restored).
    student_dir = tmp / "student"
    student_dir.mkdir()
    write_tree(student_dir, job.files)
    report, ktmp = (tmp / "guard-report.txt", tmp / "kernel-tmp") if job.limits.guard else (None, None)
    if ktmp is not None:
        ktmp.mkdir()
    from .sandbox import probe

    isolate = bool(job.limits.guard) and probe()[0]
    judge = bool(job.limits.judge)
    jupyter = write_kernelspecs(tmp / "jupyter", kernel_names(shared.source), job.limits.memory_mb,
                                job.limits.output_cap_mb, str(report or ""), str(ktmp or ""), isolate, judge)
    capture = tmp / "executed"

    cfg = Config()
    cfg.JudgedExecute.judge = judge
    cfg.JudgedExecute.source_dir = str(root / "source" / shared.assignment)
    cfg.JudgedExecute.kernel_cwd = str(student_dir)
    cfg.GuardedExecute.capture_dir = str(capture)
    cfg.GuardedExecute.notebook_timeout = float(job.limits.notebook_timeout or 0)
    cfg.GuardedExecute.output_limit_mb = job.limits.output_cap_mb
    cfg.GuardedExecute.guard_report = str(report or "")
    cfg.GuardedExecute.shutdown_kernel = "immediate"  # the outputs are in; no need to wait for a clean exit
    ipc = None
    if isolate:  # no network in the kernel: ZeroMQ over Unix sockets (paths of at most 107 bytes: keep it short)
        ipc = Path(tempfile.mkdtemp(prefix="ag-ipc-", dir="/tmp" if len(str(tmp)) > 60 else str(tmp)))
        cfg.KernelManager.transport = "ipc"
        cfg.KernelManager.ip = str(ipc / "k")
    if job.limits.timeout is not None:
        cfg.Execute.timeout = int(job.limits.timeout)
    # Our kernelspecs first; other kernels (other languages) are still found where they were.
    path = os.pathsep.join(p for p in (str(jupyter), os.environ.get("JUPYTER_PATH", "")) if p)
    try:
        with _environ({"JUPYTER_PATH": path, "MPLBACKEND": "Agg"}):
            outcome = autograde_with(root, shared.assignment, job.student, JudgedExecute, cfg)
    finally:
        if ipc is not None:
            shutil.rmtree(ipc, ignore_errors=True)

    result = JobResult(job.student, job.key, bool(outcome["success"]), submitted_at=job.submitted_at)
    autograded_dir = _autograded_dir(root, shared.assignment, job.student)
    for path in sorted(capture.glob("*.ipynb")) if capture.is_dir() else []:
        info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        executed = path.read_text(encoding="utf-8")
        autograded = autograded_dir / path.name
        run = NotebookRun(autograded.read_text(encoding="utf-8") if autograded.is_file() else "",
                          info["kernel_start_s"], info["execution_s"],
                          _unique(info["reasons"] + limit_reasons(executed, job.limits.memory_mb)),
                          info["kernel_failed"], info.get("judge", {}))
        result.notebooks[path.stem] = run
        result.reasons += [f"{path.stem}: {r}" for r in run.reasons]
        if run.kernel_failed:
            result.infra_error = f"{path.stem}: {run.reasons[0]}"
    if not result.ok:
        text = (outcome.get("log") or "") + (outcome.get("error") or "")
        result.error = text.strip()[-4000:] or "nbgrader autograde failed without a message"
    result.scores = read_auto_scores(root, shared.assignment, job.student)
    result.problems, result.notes = explain(root, job.files, shared.source)
    return result


def _autograded_dir(course_root: Path, assignment: str, student: str) -> Path:
    """Where nbgrader's Autograde wrote the submission in a course directory (its configured layout)."""
    from nbgrader.coursedir import CourseDirectory

    from ..course.config import load_config

    coursedir = CourseDirectory(config=load_config(course_root))
    return Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))


def _unique(items: list[str]) -> list[str]:
    return list(dict.fromkeys(items))


def explain(course_root: Path, files: dict[str, bytes], source: dict[str, bytes]) -> tuple[list[str], list[str]]:
    """``diagnose`` under the course's configuration; never raises (an explanation is not a grade).

    Returns
    -------
    problems, notes : list of str
    """
    from ..course.config import load_config
    from .diagnose import diagnose

    try:
        found = diagnose(files, source, config=load_config(course_root))
    except Exception as exc:  # noqa: BLE001
        return [], [f"the submission could not be checked against the assignment ({type(exc).__name__}: {exc})"]
    return found.problems, found.notes


def _worker_name() -> str:
    try:
        from distributed import get_worker

        return get_worker().address
    except (ImportError, ValueError):
        return f"{socket.gethostname()}:{os.getpid()}"


def _worker_threads() -> int:
    try:
        from distributed import get_worker

        return int(getattr(get_worker(), "nthreads", 1) or 1)
    except (ImportError, ValueError):
        return 1


def grade_job(job: Job, shared: Shared) -> JobResult:
    """Grade one submission in a scratch directory (the function Dask runs).

    Parameters
    ----------
    job : Job
    shared : Shared

    Returns
    -------
    result : JobResult
        ``ok`` is False when nbgrader itself could not autograde the submission; other exceptions
        (a broken worker) propagate, and the coordinator retries the submission on its next run.

    Raises
    ------
    UnfitWorker
        This worker cannot grade the job (see `autograder.engine.fitness`): nothing was run.
    """
    from ..course.config import quiet_gradebook_warnings
    from .fitness import check_own_worker

    check_own_worker(shared.needs, _worker_name(), _worker_threads())
    quiet_gradebook_warnings()
    with _LOCK:
        started = time.time()
        cwd = os.getcwd()
        try:
            with tempfile.TemporaryDirectory(prefix="autograder-job-") as tmp:
                result = _run(job, shared, Path(tmp))
        finally:
            os.chdir(cwd)
        result.started_at, result.finished_at = started, time.time()
        result.worker = _worker_name()
        return result
