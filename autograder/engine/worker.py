"""The worker side: grade one submission in a scratch course directory and send back what happened.

`grade_job` is a top-level function, so Dask can ship it to any worker that has this package
installed. It builds a throw-away course directory from the job (configuration, the assignment's
source files, a snapshot of the gradebook, the submission) in the job's `job_dir.JobDir`, runs
nbgrader's Autograde there with the judge's ``JudgedExecute`` in place of ``Execute`` and without the
steps that write the gradebook (the coordinator runs those, `record.RECORD_STEPS`), and returns the
autograded notebook(s), timings and the limits that were hit. It never writes anywhere but its
temporary directories. The job's directory is usually the worker's spare (`warm_kernels`), whose kernel
started while the previous job ran; the next spare starts as this job begins.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .job_dir import JobDir, KernelSettings
from .jobs import Job, JobResult, NotebookRun, Shared, write_tree
from .warm_kernels import SPARES, Spare

# nbgrader changes the working directory and the environment of the process while it runs, so
# one job at a time per process (a LocalCluster worker has a single thread anyway).
_LOCK = threading.Lock()


@contextmanager
def _environ(values: dict[str, str | None]):
    """Set (None: unset) environment variables of this process for the duration."""
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


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


def _run(job: Job, shared: Shared, spare: Spare) -> JobResult:
    from traitlets.config import Config

    from ..course.config import CONFIG_NAME
    from ..course.gradebook_engines import share_engines
    from ..judge.execute import JudgedExecute
    from .autograde import autograde_with
    from .record import RECORD_STEPS
    from .schema_cache import install as check_each_schema_once

    t0 = time.perf_counter()
    check_each_schema_once()  # after `take`: no other thread of this worker is importing anything now
    share_engines()  # the scratch gradebook's opens compile nbgrader's SQL once
    job_dir = spare.job_dir
    tmp = job_dir.root
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
    write_tree(job_dir.student, job.files)
    capture = tmp / "executed"

    cfg = Config()
    cfg.JudgedExecute.judge = job_dir.settings.judge
    cfg.JudgedExecute.source_dir = str(root / "source" / shared.assignment)
    cfg.JudgedExecute.kernel_cwd = str(job_dir.student)
    cfg.GuardedExecute.capture_dir = str(capture)
    cfg.GuardedExecute.notebook_timeout = float(job.limits.notebook_timeout or 0)
    cfg.GuardedExecute.output_limit_mb = job.limits.output_cap_mb
    cfg.GuardedExecute.guard_report = str(job_dir.report or "")
    cfg.GuardedExecute.shutdown_kernel = "immediate"  # the outputs are in; no need to wait for a clean exit
    cfg.GuardedExecute.warm_kernel = spare
    cfg.GuardedExecute.kernel_env = job_dir.kernel_environ()  # a cold start gets what a spare got
    for option, value in job_dir.kernel_manager_options().items():  # no network: ZeroMQ over Unix sockets
        setattr(cfg.KernelManager, option, value)
    if job.limits.timeout is not None:
        cfg.Execute.timeout = int(job.limits.timeout)
    t1 = time.perf_counter()
    with _environ(job_dir.process_environ()):
        outcome = autograde_with(root, shared.assignment, job.student, JudgedExecute, cfg, without=RECORD_STEPS)
    t2 = time.perf_counter()

    result = JobResult(job.student, job.key, bool(outcome["success"]), submitted_at=job.submitted_at)
    autograded_dir = _autograded_dir(root, shared.assignment, job.student)
    for path in sorted(capture.glob("*.ipynb")) if capture.is_dir() else []:
        info = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        executed = path.read_text(encoding="utf-8")
        autograded = autograded_dir / path.name
        run = NotebookRun(autograded.read_text(encoding="utf-8") if autograded.is_file() else "",
                          info["kernel_start_s"], info["execution_s"],
                          _unique(info["reasons"] + limit_reasons(executed, job.limits.memory_mb)),
                          info["kernel_failed"], info.get("judge", {}), bool(info.get("warm_kernel")))
        result.notebooks[path.stem] = run
        result.reasons += [f"{path.stem}: {r}" for r in run.reasons]
        if run.kernel_failed:
            result.infra_error = f"{path.stem}: {run.reasons[0]}"
    if not result.ok:
        text = (outcome.get("log") or "") + (outcome.get("error") or "")
        result.error = text.strip()[-4000:] or "nbgrader autograde failed without a message"
    result.problems, result.notes = explain(root, job.files, shared.source)
    result.phases = {"setup_s": t1 - t0, "autograde_s": t2 - t1, "collect_s": time.perf_counter() - t2}
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
    from ..import_costs import skip_unused_optional_imports
    from .fitness import check_own_worker

    skip_unused_optional_imports()  # a worker started by another program than ours (see import_costs)
    check_own_worker(shared.needs, _worker_name(), _worker_threads())
    quiet_gradebook_warnings()
    with _LOCK:
        started = time.time()
        cwd = os.getcwd()
        settings = KernelSettings.for_job(job.limits, shared.source)
        spare = SPARES.take(settings)
        cold_reason = SPARES.miss if spare is None else ""
        spare = spare or Spare(JobDir(settings))
        waited = time.time() - started
        if job.warm_next:  # the next job's kernel boots while this notebook runs
            SPARES.prepare(settings)
        try:
            result = _run(job, shared, spare)
        finally:
            spare.discard()
            os.chdir(cwd)
        result.started_at, result.finished_at = started, time.time()
        result.phases["spare_wait_s"] = waited
        result.cold_kernel = cold_reason
        result.worker = _worker_name()
        return result


def warm_up(limits, source: dict[str, bytes]) -> bool:
    """Prepare this worker for a run: start, in the background, the spare kernel its first job will use (the
    coordinator calls this on every worker with ``Client.run`` before it hands out jobs; it returns at once).

    The grading code is not imported in the background: an import racing the first job's own imports of
    nbgrader on another thread can see a partly initialised module and fail that job.

    Parameters
    ----------
    limits : Limits
        The run's limits.
    source : dict
        The assignment's source files (the kernels its notebooks ask for).

    Returns
    -------
    started : bool
    """
    SPARES.prepare(KernelSettings.for_job(limits, source))
    return True
