"""The coordinator: plan a run, hand the jobs to Dask, import results as they arrive.

1. List ``submitted/<student>/<assignment>/`` and compute each submission's content key; skip those
   the ledger lists with the same key (and the gradebook still holds), unless ``force``.
2. Make sure the assignment is in the gradebook, then submit one job per submission to a Dask
   cluster (a ``LocalCluster`` of single-threaded worker processes, or an existing scheduler).
3. Import each result as it completes (`import_result`: nbgrader's bookkeeping and SaveAutoGrades in the
   course directory; here, or in a pool of import processes on large clusters, see `import_pool`), then
   append it to the ledger (fsynced) and the grade log, here. A failure of one submission never stops
   the batch.
"""

from __future__ import annotations

import logging
import os
import sys
import time
import uuid
import warnings
from concurrent.futures import FIRST_COMPLETED, wait
from contextlib import contextmanager
from pathlib import Path

from .. import __version__
from ..course.config import CourseError
from ..course.gradebook import SubmissionResult, ensure_in_gradebook, find_submissions, read_scores
from .fitness import Requirements, UnfitWorker, needs_mnist, survey, unfit_reason
from .import_pool import InProcess, import_processes, open_pool
from .importer import ERROR, FAILED, GRADED, LIMIT, SKIPPED, Imported, import_result
from .jobs import (Job, JobResult, Limits, Shared, assignment_gradebook, config_file, content_key,
                   grading_fingerprint, read_tree)
from .ledger import Ledger, grade_log
from .job_dir import THREAD_ENV
from .worker import grade_job, warm_up

#: Jobs handed to Dask at a time (the rest wait here): enough to keep every worker busy.
IN_FLIGHT_MIN, IN_FLIGHT_PER_THREAD = 8, 2


@contextmanager
def open_client(workers: int | None = None, scheduler: str | None = None):
    """A Dask client: on an existing scheduler, or on a new local cluster of single-threaded processes.

    Parameters
    ----------
    workers : int or None
        Worker processes of the local cluster (default: ``os.cpu_count()``).
    scheduler : str or None
        Address of a running scheduler, e.g. ``tcp://10.0.0.5:8786``.
    """
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="30s") as client:
            try:
                client.wait_for_workers(1, timeout=120)
            except TimeoutError:
                raise CourseError(f"no Dask worker joined the scheduler at {scheduler} within 120 s") from None
            yield client
        return
    with warnings.catch_warnings():
        # Only an HTTP health endpoint listens there (the dashboard is off): another cluster may hold it.
        warnings.filterwarnings("ignore", message="Port .* is already in use")
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR, memory_limit=0,
                               env=dict(THREAD_ENV))  # the workers' environment, inherited by their kernels
    with cluster, Client(cluster) as client:
        yield client


def _graded_students(course_dir: Path, assignment: str) -> set[str]:
    from nbgrader.api import Gradebook, MissingEntry

    from ..course.config import make_api

    api = make_api(course_dir)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            return {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return set()


def plan(course_dir: Path, assignment: str, students: list[str], force: bool, grading: str = ""):
    """Content keys of the submissions, and which of them need grading.

    Parameters
    ----------
    grading : str
        The run's `grading_fingerprint`: a submission graded under another one is graded again.

    Returns
    -------
    shared_parts : (bytes, dict)
        nbgrader_config.py and the assignment's source files.
    todo : list of str
        Students whose submissions need grading.
    skipped : dict
        ``student -> latest ledger record`` of the submissions graded before with the same content.
    """
    config = config_file(course_dir).read_bytes()
    source = read_tree(course_dir / "source" / assignment)
    latest = Ledger(course_dir).latest(assignment)
    in_gradebook = _graded_students(course_dir, assignment) if not force else set()
    todo, skipped = [], {}
    for student in students:
        done = latest.get(student)
        try:
            same = (not force and done and student in in_gradebook
                    and done.get("key") == content_key(config, source, read_tree(course_dir / "submitted" / student / assignment),
                                                   grading)
                    and (done.get("status") == FAILED or (course_dir / "autograded" / student / assignment).is_dir()))
        except OSError:  # unreadable now: the run reports it
            same = False
        if same:
            skipped[student] = done
        else:
            todo.append(student)
    return (config, source), todo, skipped


def _notebooks(source: dict[str, bytes]) -> list[str]:
    return sorted(Path(rel).stem for rel in source if rel.endswith(".ipynb") and "/" not in rel)


def grade_parallel(course_dir: Path, assignment: str, *, students: list[str] | None = None,
                   workers: int | None = None, scheduler: str | None = None, client=None,
                   limits: Limits = Limits(), force: bool = False, progress: bool = True,
                   processes: int | None = None) -> list[SubmissionResult]:
    """Autograde the submissions of an assignment on Dask; resumable, and equal to ``nbgrader autograde``.

    Parameters
    ----------
    course_dir : Path
    assignment : str
    students : list of str or None
        Only these students (default: every submission).
    workers : int or None
        Local worker processes (default: ``os.cpu_count()``); ignored with `scheduler` or `client`.
    scheduler : str or None
        Address of an existing Dask scheduler.
    client : distributed.Client or None
        Use this client (tests, notebooks); the caller keeps ownership.
    limits : Limits
    force : bool
        Regrade submissions the ledger lists as graded with the same content.
    progress : bool
        Progress bar on stderr.
    processes : int or None
        Processes that import results into the course (0: this one; default: `import_pool.import_processes`
        of the cluster's worker threads, 0 below 8).

    Returns
    -------
    results : list of SubmissionResult
        Skipped submissions first (``status="skipped"``), then in the order results were imported.
    """
    from tqdm import tqdm

    course_dir = Path(course_dir).resolve()
    if not (course_dir / "source" / assignment).is_dir():
        raise CourseError(f"no source/{assignment} in {course_dir}: grade from the course directory "
                          "(or pass --course-dir)")
    students = students or find_submissions(course_dir, assignment)
    if not students:
        raise CourseError(f"no submissions of {assignment} under {course_dir / 'submitted'} "
                          f"(expected submitted/<student>/{assignment}/*.ipynb)")
    ensure_in_gradebook(course_dir, assignment)
    grading = grading_fingerprint(limits)
    (config, source), todo, skipped = plan(course_dir, assignment, students, force, grading)
    results = [SubmissionResult(s, assignment, True, status=SKIPPED, cells=read_scores(course_dir, assignment, s),
                                reasons=list(done.get("reasons") or []), error=f"graded before: {done.get('status')}")
               for s, done in skipped.items()]
    if skipped and progress:
        tqdm.write(f"{len(skipped)} submission(s) already graded with the same content: skipped "
                   "(--force regrades them)", file=sys.stderr)
    if not todo:
        return results
    from distributed import as_completed

    books = _Books(course_dir, assignment, _notebooks(source))
    bar = tqdm(total=len(todo), desc=f"grading {assignment}", unit="nb", disable=not progress)
    failed = limited = 0
    with (_borrowed(client) if client is not None else open_client(workers, scheduler)) as dask:
        needs, unfit = _check_workers(dask, assignment, source, limits)
        shared = Shared(assignment, config.decode("utf-8"), source,
                        assignment_gradebook(course_dir / "gradebook.db", assignment), needs)
        _warm_up(dask, limits, source)
        shared_future = dask.scatter(shared, hash=False, broadcast=True)
        waiting, futures, running, attempts = list(reversed(todo)), {}, as_completed(), {}

        def allowed() -> list[str] | None:  # None: any worker (no restriction while every worker is fit)
            if not unfit:
                return None
            fit = [w for w in dask.scheduler_info()["workers"] if w not in unfit]
            if not fit:
                raise CourseError(f"no worker can grade {assignment}; graded so far is kept, run again when "
                                  "the workers are fixed:\n  " + "\n  ".join(f"{w}: {r}" for w, r in unfit.items()))
            return fit

        threads = sum(w.get("nthreads", 1) for w in dask.scheduler_info()["workers"].values())

        def submit_next() -> None:  # a window of jobs in flight bounds the memory the jobs take
            while waiting:
                student = waiting.pop()
                try:
                    files = read_tree(course_dir / "submitted" / student / assignment)
                except OSError as exc:  # unreadable: nothing recorded, the next run tries again
                    results.append(SubmissionResult(student, assignment, False, error=str(exc), status=ERROR,
                                                    reasons=[f"the submission could not be read: {exc}"]))
                    bar.update(1)
                    continue
                job = Job(student, content_key(config, source, files, grading), files, limits, submitted_at=time.time(),
                          grading=grading, warm_next=len(waiting) >= threads)  # no spare kernel for the last ones
                attempts[student] = attempts.get(student, 0) + 1
                fut = dask.submit(grade_job, job, shared_future, key=f"grade-{books.run}-{student}-{attempts[student]}",
                                  pure=False, workers=allowed(), allow_other_workers=False)
                futures[fut] = job
                running.add(fut)
                return

        for _ in range(max(IN_FLIGHT_MIN, IN_FLIGHT_PER_THREAD * threads)):
            submit_next()
        pending: dict = {}  # import future -> (job, worker result, perf_counter when taken up)

        def finish(done) -> None:  # ledger, log, result and progress of imports that finished
            nonlocal failed, limited
            for imp_future in done:
                job, res, began = pending.pop(imp_future)
                try:
                    imp = imp_future.result()
                except Exception as exc:  # noqa: BLE001 - a broken import process: nothing recorded
                    imp = Imported(ERROR, [f"importing the worker's result failed (nothing recorded): "
                                           f"{type(exc).__name__}: {exc}"])
                try:
                    results.append(books.write(job, res, imp, began))
                except Exception as exc:  # noqa: BLE001 - e.g. a full disk: report it, go on with the batch
                    results.append(SubmissionResult(
                        job.student, assignment, False, error=str(exc), status=ERROR,
                        reasons=imp.reasons + [f"the ledger or the grade log could not be written: {type(exc).__name__}: {exc}"]))
                failed += imp.status in (FAILED, ERROR)
                limited += imp.status == LIMIT
                bar.update(1)
                bar.set_postfix(failed=failed, limits=limited)

        pool = open_pool(import_processes(threads) if processes is None else processes)
        try:
            for fut in running:
                job = futures.pop(fut)
                if fut.status == "error" and isinstance(fut.exception(), UnfitWorker):
                    exc = fut.exception()  # nothing was graded there: the job goes to another worker
                    unfit[exc.address] = exc.reason
                    tqdm.write(f"worker {exc.address} refused: {exc.reason}; its jobs go to other workers",
                               file=sys.stderr)
                    waiting.append(job.student)
                    submit_next()
                    continue
                submit_next()
                began = time.perf_counter()
                try:
                    res = fut.result()
                    imp_future = pool.submit(import_checked, course_dir, assignment, config, source, job, res)
                except Exception as exc:  # noqa: BLE001 - a broken worker: report it, go on with the batch
                    res, imp_future = None, InProcess().submit(_raise, exc)
                pending[imp_future] = (job, res, began)
                finish([f for f in list(pending) if f.done()])
                while len(pending) >= pool.size:
                    finish(wait(list(pending), return_when=FIRST_COMPLETED).done)
            finish(wait(list(pending)).done)
        finally:
            pool.close()
    bar.close()
    return results


def _warm_up(dask, limits: Limits, source: dict[str, bytes]) -> None:
    """Have every worker start its first job's kernel and import the grading code now (in the background)."""
    try:
        dask.run(warm_up, limits, source)
    except Exception:  # noqa: BLE001 - an optimisation only: a worker that cannot starts its kernels cold
        pass


def _check_workers(dask, assignment: str, source: dict[str, bytes],
                   limits: Limits) -> tuple[Requirements, dict[str, str]]:
    """Survey the workers present now: what every job will require, and the workers refused (address -> why).

    Raises `CourseError` when no worker can grade the assignment.
    """
    from tqdm import tqdm

    infos = survey(dask, needs_mnist(source))
    needs = Requirements(__version__, mnist=needs_mnist(source),
                         sandbox=bool(limits.guard) and any(i.get("sandbox") for i in infos.values()))
    unfit = {w: r for w, i in infos.items() if (r := unfit_reason(i, needs, i.get("nthreads", 1)))}
    if infos and len(unfit) == len(infos):
        raise CourseError(f"no worker can grade {assignment}:\n  " + "\n  ".join(f"{w}: {r}" for w, r in unfit.items()))
    for address, reason in unfit.items():
        tqdm.write(f"worker {address} refused: {reason}", file=sys.stderr)
    return needs, unfit


class _Books:
    """The ledger and the grade log of one run."""

    def __init__(self, course_dir: Path, assignment: str, notebooks: list[str]):
        self.course_dir, self.assignment, self.notebooks = course_dir, assignment, notebooks
        self.ledger, self.log, self.run = Ledger(course_dir), grade_log(course_dir), uuid.uuid4().hex[:12]

    def write(self, job: Job, res: JobResult | None, imp: Imported, began: float | None = None) -> SubmissionResult:
        """Ledger line (only for what the gradebook now holds), log lines; the submission's result.

        ``began`` (``time.perf_counter()`` when the coordinator took the result up) gives the log's
        ``coordinator_s``: all the coordinator's work on this result, the import and the ledger included;
        ``own_s`` is the part no import process can take over (the ledger line, fsynced)."""
        own = time.perf_counter()
        done_at = time.time()
        cells = imp.cells if imp.recorded else []  # read back by the import, in the import's process
        common = {"run": self.run, "assignment": self.assignment, "student": job.student, "status": imp.status,
                  "worker": res.worker if res else None}
        if imp.status in (GRADED, LIMIT, FAILED) and imp.recorded:
            self.ledger.append(dict(
                common, key=job.key, grading=job.grading, reasons=imp.reasons, scores={c.grade_id: [c.score, c.max_score] for c in cells},
                auto_score=sum(c.score for c in cells if c.autograded),
                auto_max=sum(c.max_score for c in cells if c.autograded), submitted_at=job.submitted_at,
                started_at=res.started_at if res else None, finished_at=res.finished_at if res else None,
                imported_at=done_at))
        own_s = time.perf_counter() - own  # this process's own work on the result: the ledger's fsynced line
        coordinator_s = time.perf_counter() - began if began is not None else None
        runs = res.notebooks if res is not None else {}
        for name in sorted(set(self.notebooks) | set(runs)):
            run = runs.get(name)
            self.log.append(dict(
                common, time=done_at, notebook=name, queue_wait_s=res.queue_wait_s if res else None,
                kernel_start_s=run.kernel_start_s if run else None, warm_kernel=run.warm_kernel if run else None,
                execution_s=run.execution_s if run else None,
                scoring_s=imp.scoring_s, coordinator_s=coordinator_s, own_s=own_s,
                total_s=done_at - job.submitted_at,
                worker_s=res.finished_at - res.started_at if res else None,
                phases=res.phases if res else None, cold_kernel=res.cold_kernel if res else None,
                reason="; ".join(imp.reasons),
                judge=run.judge if run else None))
        return SubmissionResult(job.student, self.assignment, imp.status in (GRADED, LIMIT),
                                seconds=done_at - job.submitted_at, error="; ".join(imp.reasons), cells=cells,
                                status=imp.status, reasons=imp.reasons)


@contextmanager
def _borrowed(client):
    yield client


def import_checked(course_dir: Path, assignment: str, config: bytes, source: dict, job: Job,
                   res: JobResult) -> Imported:
    """Import one worker result, unless the submission changed while it was graded; never raises.

    A top-level function: it also runs in the import processes (`import_pool`).
    """
    try:
        now = read_tree(course_dir / "submitted" / job.student / assignment)
        if content_key(config, source, now, job.grading) != job.key:
            return Imported(ERROR, ["the submission changed while it was graded: nothing recorded, run again"])
        return import_result(course_dir, assignment, res)
    except Exception as exc:  # noqa: BLE001 - a broken import: report it, go on with the batch
        return Imported(ERROR, [f"{type(exc).__name__}: {exc}"])


def _raise(exc: BaseException):
    raise exc
