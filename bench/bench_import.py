"""How fast the coordinator imports results: in its own process against a pool of import processes.

The coordinator's import of a result (nbgrader's bookkeeping and SaveAutoGrades into the course's
gradebook, ``autograded/``, the content check; `autograder.engine.coordinator.import_checked`) caps a
run's throughput at one result per import, however many workers there are. This script grades N
submissions of a4 once, on this process (no cluster), then imports the same results into two fresh
copies of the course, one after the other in this run: one at a time here, and through a pool of P
processes (started and warmed before the clock starts, as they are while the first notebooks run).
Both gradebooks must then hold the same scores.

Not a test: timings on shared machines are noisy, so only the ratio measured in one run means much.

Usage::

    python bench/bench_import.py [--submissions 16] [--processes 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import wait
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

A4 = "a4_losses_and_stability"


def _results(course: Path, n: int):
    """``(job, result)`` for the first n sample submissions of a4, graded here (no cluster)."""
    from autograder.audit.samples import sample_submissions, write_submission
    from autograder.course.gradebook import ensure_in_gradebook
    from autograder.engine.jobs import (Job, Limits, Shared, assignment_gradebook, config_file, content_key,
                                        grading_fingerprint, read_tree)
    from autograder.engine.worker import grade_job

    subs = sample_submissions(A4, root=course)
    names = [s for s in subs][:n]
    for i in range(n - len(names)):  # more than there are samples: copies under other names
        names.append(f"copy-{i}")
        subs[names[-1]] = subs[names[i % len(subs)]]
    for student in names:
        write_submission(course, student, A4, subs[student])
    ensure_in_gradebook(course, A4)
    config, source = config_file(course).read_bytes(), read_tree(course / "source" / A4)
    limits = Limits()
    grading = grading_fingerprint(limits)
    shared = Shared(A4, config.decode(), source, assignment_gradebook(course / "gradebook.db", A4))
    out = []
    for i, student in enumerate(names):
        files = read_tree(course / "submitted" / student / A4)
        job = Job(student, content_key(config, source, files, grading), files, limits, grading=grading,
                  warm_next=i + 1 < len(names))
        out.append((job, grade_job(job, shared)))
        print(f"\rgraded {i + 1}/{len(names)}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    return config, source, out


def _import_all(course: Path, pool, config, source, results) -> float:
    from autograder.engine.coordinator import import_checked

    t0 = time.perf_counter()
    futures = [pool.submit(import_checked, course, A4, config, source, job, res) for job, res in results]
    wait(futures)
    seconds = time.perf_counter() - t0
    bad = [f.result().reasons for f in futures if f.result().status not in ("graded", "limit")]
    if bad:
        sys.exit(f"imports failed: {bad[:3]}")
    return seconds


def main(argv: list[str] | None = None) -> int:
    from autograder.course import new_course_dir
    from autograder.course.gradebook import read_scores
    from autograder.course.release import generate
    from autograder.engine.import_pool import InProcess, ProcessPool

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=16, help="results to import (default 16)")
    parser.add_argument("--processes", type=int, default=2, help="import processes of the pool (default 2)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        template = new_course_dir(Path(tmp) / "template", [A4])
        generate(A4, source_root=template, out_root=template, gradebook=template / "gradebook.db")
        config, source, results = _results(template, args.submissions)
        here, pooled = (shutil.copytree(template, Path(tmp) / name) for name in ("here", "pooled"))
        n = len(results)
        t_here = _import_all(here, InProcess(), config, source, results)
        pool = ProcessPool(args.processes)
        try:
            wait([pool.submit(read_scores, pooled, A4, "nobody") for _ in range(4 * args.processes)])  # warm
            t_pool = _import_all(pooled, pool, config, source, results)
        finally:
            pool.close()
        same = all(read_scores(here, A4, job.student) == read_scores(pooled, A4, job.student) for job, _ in results)
        print(f"{n} results of {A4}, {os.cpu_count()} CPUs")
        print(f"in the coordinator's process: {t_here:6.2f} s  ({n / t_here:5.1f} results/s, {t_here / n:.3f} s each)")
        print(f"pool of {args.processes} processes:        {t_pool:6.2f} s  ({n / t_pool:5.1f} results/s)")
        print(f"speed-up: {t_here / t_pool:.2f}x; same scores in both gradebooks: {same}")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
