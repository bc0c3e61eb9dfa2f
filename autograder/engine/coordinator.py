"""The coordinator: plan a run, hand the jobs to Dask, import results as they arrive.

1. List ``submitted/<student>/<assignment>/`` and compute each submission's content key; skip those
   the ledger lists with the same key (and the gradebook still holds), unless ``force`` (`planning`).
   Several assignments can share one run (`grade_assignments`): one cluster, one queue.
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
import warnings
from collections.abc import Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..course.config import CourseError
from ..course.gradebook import SubmissionResult, ensure_in_gradebook, find_submissions, read_scores
from .fitness import Requirements, UnfitWorker, needs_mnist, needs_moons, survey, unfit_reason
from .import_pool import InProcess, import_processes, open_pool
from .books import RunBooks, new_run_id
from .importer import ERROR, FAILED, LIMIT, SKIPPED, Imported, import_result
from .jobs import (Job, JobResult, Limits, Shared, assignment_gradebook, content_key, grading_fingerprint,
                   read_tree)
from .planning import notebooks_of, plan
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
    import dask

    from .worker_processes import forked_workers

    with forked_workers(THREAD_ENV) as forking:
        # Dask's statistical profiler samples every worker thread 100 times a second (no dashboard shows it
        # here): about 0.1 s of CPU per notebook, taken from the kernels on a busy machine. The workers get
        # this config, and are forked from a server that has imported the grading code (`worker_processes`).
        with warnings.catch_warnings(), dask.config.set({"distributed.worker.profile.enabled": False, **forking}):
            # Only an HTTP health endpoint listens there (the dashboard is off): another cluster may hold it.
            warnings.filterwarnings("ignore", message="Port .* is already in use")
            cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1, processes=True,
                                   dashboard_address=None, silence_logs=logging.ERROR, memory_limit=0,
                                   env=dict(THREAD_ENV))  # the workers' environment, inherited by their kernels
        with cluster, Client(cluster) as client:
            yield client


@dataclass
class _Batch:
    """One assignment of a run: what its jobs share, and its books."""

    assignment: str
    limits: Limits
    grading: str
    config: bytes
    source: dict[str, bytes]
    todo: list[str]
    books: RunBooks
    needs: Requirements | None = None
    unfit: dict[str, str] = field(default_factory=dict)  # worker address -> why it cannot grade this assignment
    shared: object = None  # the scattered `Shared` (a Dask future)
    per_job_s: float | None = None  # a job's median worker time in the ledger (None: never graded)


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
    return grade_assignments(course_dir, [assignment], students=students, workers=workers, scheduler=scheduler,
                             client=client, limits=limits, force=force, progress=progress, processes=processes)


def grade_assignments(course_dir: Path, assignments: Sequence[str], *, students: list[str] | None = None,
                      workers: int | None = None, scheduler: str | None = None, client=None,
                      limits: Limits | Mapping[str, Limits] = Limits(), force: bool = False,
                      progress: bool = True, processes: int | None = None) -> list[SubmissionResult]:
    """Autograde several assignments in one run: one cluster, one queue of jobs, one progress bar.

    The jobs of all assignments share the workers, so one assignment's last notebooks run beside the
    next one's first instead of leaving workers idle, and the cluster starts once. Assignments whose
    jobs took longest in earlier runs (the ledger) go first, then the order given (unknown ones first).
    Each assignment is graded exactly as `grade_parallel` grades it alone.

    Parameters
    ----------
    course_dir : Path
    assignments : sequence of str
    students : list of str or None
        Only these students, in every assignment (default: every submission of each).
    limits : Limits or mapping
        The limits of every assignment, or ``assignment -> Limits`` (each assignment must be there).
    workers, scheduler, client, force, progress, processes
        As in `grade_parallel`.

    Returns
    -------
    results : list of SubmissionResult
        Skipped submissions first, assignment by assignment, then in the order results were imported.

    Raises
    ------
    CourseError
        An assignment without source or without submissions, or one no worker can grade (nothing is graded).
    """
    from tqdm import tqdm

    course_dir = Path(course_dir).resolve()
    assignments = list(dict.fromkeys(assignments))
    if not assignments:
        raise CourseError("no assignment to grade")
    for assignment in assignments:
        if not (course_dir / "source" / assignment).is_dir():
            raise CourseError(f"no source/{assignment} in {course_dir}: grade from the course directory "
                              "(or pass --course-dir)")
        if isinstance(limits, Mapping) and assignment not in limits:
            raise CourseError(f"no limits given for {assignment}")
    chosen = {a: students or find_submissions(course_dir, a) for a in assignments}
    for assignment, names in chosen.items():
        if not names:
            raise CourseError(f"no submissions of {assignment} under {course_dir / 'submitted'} "
                              f"(expected submitted/<student>/{assignment}/*.ipynb)")
    run = new_run_id()
    results, batches = [], []
    for assignment in assignments:
        ensure_in_gradebook(course_dir, assignment)
        own_limits = limits[assignment] if isinstance(limits, Mapping) else limits
        grading = grading_fingerprint(own_limits)
        (config, source), todo, skipped, per_job_s = plan(course_dir, assignment, chosen[assignment], force, grading)
        results += [SubmissionResult(s, assignment, True, status=SKIPPED, cells=read_scores(course_dir, assignment, s),
                                     reasons=list(done.get("reasons") or []),
                                     error=f"graded before: {done.get('status')}")
                    for s, done in skipped.items()]
        if skipped and progress:
            tqdm.write(f"{assignment}: {len(skipped)} submission(s) already graded with the same content: "
                       "skipped (--force regrades them)", file=sys.stderr)
        if todo:
            batches.append(_Batch(assignment, own_limits, grading, config, source, todo,
                                  RunBooks(course_dir, assignment, notebooks_of(source), run), per_job_s=per_job_s))
    if not batches:
        return results
    batches = longest_first(batches)
    from distributed import as_completed

    total = sum(len(b.todo) for b in batches)
    bar = tqdm(total=total, desc=f"grading {', '.join(b.assignment for b in batches)}", unit="nb",
               disable=not progress)
    failed = limited = 0
    with (_borrowed(client) if client is not None else open_client(workers, scheduler)) as dask:
        for batch in batches:
            batch.needs, batch.unfit = _check_workers(dask, batch.assignment, batch.source, batch.limits)
        _warm_up(dask, batches[0].limits, batches[0].source)  # the kernel of every worker's first job
        for batch in batches:
            batch.shared = dask.scatter(
                Shared(batch.assignment, batch.config.decode("utf-8"), batch.source,
                       assignment_gradebook(course_dir / "gradebook.db", batch.assignment), batch.needs),
                hash=False, broadcast=True)
        waiting = [(batch, student) for batch in reversed(batches) for student in reversed(batch.todo)]
        futures, running, attempts = {}, as_completed(), {}

        def allowed(batch: _Batch) -> list[str] | None:  # None: any worker (no restriction while every worker is fit)
            if not batch.unfit:
                return None
            fit = [w for w in dask.scheduler_info()["workers"] if w not in batch.unfit]
            if not fit:
                raise CourseError(f"no worker can grade {batch.assignment}; graded so far is kept, run again when "
                                  "the workers are fixed:\n  " + "\n  ".join(f"{w}: {r}" for w, r in batch.unfit.items()))
            return fit

        threads = sum(w.get("nthreads", 1) for w in dask.scheduler_info()["workers"].values())

        def submit_next() -> None:  # a window of jobs in flight bounds the memory the jobs take
            while waiting:
                batch, student = waiting.pop()
                try:
                    files = read_tree(course_dir / "submitted" / student / batch.assignment)
                except OSError as exc:  # unreadable: nothing recorded, the next run tries again
                    results.append(SubmissionResult(student, batch.assignment, False, error=str(exc), status=ERROR,
                                                    reasons=[f"the submission could not be read: {exc}"]))
                    bar.update(1)
                    continue
                job = Job(student, content_key(batch.config, batch.source, files, batch.grading), files, batch.limits,
                          submitted_at=time.time(), grading=batch.grading,
                          warm_next=len(waiting) >= threads)  # no spare kernel for the last ones
                n = attempts[batch.assignment, student] = attempts.get((batch.assignment, student), 0) + 1
                fut = dask.submit(grade_job, job, batch.shared, key=f"grade-{run}-{batch.assignment}-{student}-{n}",
                                  pure=False, workers=allowed(batch), allow_other_workers=False)
                futures[fut] = (batch, job)
                running.add(fut)
                return

        for _ in range(max(IN_FLIGHT_MIN, IN_FLIGHT_PER_THREAD * threads)):
            submit_next()
        pending: dict = {}  # import future -> (batch, job, worker result, perf_counter when taken up)

        def finish(done) -> None:  # ledger, log, result and progress of imports that finished
            nonlocal failed, limited
            for imp_future in done:
                batch, job, res, began = pending.pop(imp_future)
                try:
                    imp = imp_future.result()
                except Exception as exc:  # noqa: BLE001 - a broken import process: nothing recorded
                    imp = Imported(ERROR, [f"importing the worker's result failed (nothing recorded): "
                                           f"{type(exc).__name__}: {exc}"])
                try:
                    results.append(batch.books.write(job, res, imp, began))
                except Exception as exc:  # noqa: BLE001 - e.g. a full disk: report it, go on with the batch
                    results.append(SubmissionResult(
                        job.student, batch.assignment, False, error=str(exc), status=ERROR,
                        reasons=imp.reasons + [f"the ledger or the grade log could not be written: {type(exc).__name__}: {exc}"]))
                failed += imp.status in (FAILED, ERROR)
                limited += imp.status == LIMIT
                bar.update(1)
                bar.set_postfix(failed=failed, limits=limited)

        pool = open_pool(import_processes(threads) if processes is None else processes)
        try:
            for fut in running:
                batch, job = futures.pop(fut)
                if fut.status == "error" and isinstance(fut.exception(), UnfitWorker):
                    exc = fut.exception()  # nothing was graded there: the job goes to another worker
                    batch.unfit[exc.address] = exc.reason
                    tqdm.write(f"worker {exc.address} refused: {exc.reason}; its {batch.assignment} jobs go to "
                               "other workers", file=sys.stderr)
                    waiting.append((batch, job.student))
                    submit_next()
                    continue
                submit_next()
                began = time.perf_counter()
                try:
                    res = fut.result()
                    imp_future = pool.submit(import_checked, course_dir, batch.assignment, batch.config, batch.source,
                                             job, res)
                except Exception as exc:  # noqa: BLE001 - a broken worker: report it, go on with the batch
                    res, imp_future = None, InProcess().submit(_raise, exc)
                pending[imp_future] = (batch, job, res, began)
                finish([f for f in list(pending) if f.done()])
                while len(pending) >= pool.size:
                    finish(wait(list(pending), return_when=FIRST_COMPLETED).done)
            finish(wait(list(pending)).done)
        finally:
            pool.close()
    bar.close()
    return results


def longest_first(batches: list) -> list:
    """The order a run grades its assignments in: those never graded first (in the order given), then the
    others by their median job time in the ledger, longest first, so short jobs fill the workers at the end.

    Parameters
    ----------
    batches : list
        Objects with a ``per_job_s`` attribute (float, or None when unknown).
    """
    known = sorted((b for b in batches if b.per_job_s is not None), key=lambda b: -b.per_job_s)
    return [b for b in batches if b.per_job_s is None] + known


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

    infos = survey(dask, needs_mnist(source), needs_moons(source))
    needs = Requirements(__version__, mnist=needs_mnist(source), moons=needs_moons(source),
                         sandbox=bool(limits.guard) and any(i.get("sandbox") for i in infos.values()))
    unfit = {w: r for w, i in infos.items() if (r := unfit_reason(i, needs, i.get("nthreads", 1)))}
    if infos and len(unfit) == len(infos):
        raise CourseError(f"no worker can grade {assignment}:\n  " + "\n  ".join(f"{w}: {r}" for w, r in unfit.items()))
    for address, reason in unfit.items():
        tqdm.write(f"worker {address} refused: {reason}", file=sys.stderr)
    return needs, unfit


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
