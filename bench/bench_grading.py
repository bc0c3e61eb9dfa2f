"""Wall time of grading one batch: plain ``nbgrader autograde`` against ``autograder grade --workers N``.

The batch: for each of a3_mlp_moons and a2_mlp_mnist, the solution (correct), the untouched release
(blank) and the first mutants (partly wrong), 16 submissions by default. Both graders get an
identical copy of the same course directory and run as separate processes, one after the other, in
this run, with BLAS pinned to one thread (``OMP_NUM_THREADS=1`` etc.) for both. The script checks
that both gradebooks hold the same score for every cell, then prints wall times, the ratio, and the
engine's per-notebook figures from its grade log: kernel start, execution, and the overhead around
them (worker time minus kernel start and execution, plus the coordinator's import).

Not a test: timings on shared machines are noisy, so only ratios measured in one run mean much.

Usage::

    python bench/bench_grading.py [--per-assignment 8] [--workers 2] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder.course import new_course_dir
from autograder.lifecycle.export import gradebook_scores
from autograder.course.release import generate
from autograder.audit.samples import sample_submissions, write_submission

ASSIGNMENTS = ("a3_mlp_moons", "a2_mlp_mnist")
PINNED = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}


def build_course(root: Path, per_assignment: int) -> Path:
    """A course with both assignments released and ``per_assignment`` submissions of each."""
    course = new_course_dir(root / "course", list(ASSIGNMENTS))
    for assignment in ASSIGNMENTS:
        generate(assignment, source_root=course, out_root=course, gradebook=course / "gradebook.db")
        subs = sample_submissions(assignment, root=course)
        for student in list(subs)[:per_assignment]:  # solution, untouched, then mutants by name
            write_submission(course, student, assignment, subs[student])
    return course


def timed(cmd: list[str], cwd: Path) -> float:
    """Run a command with pinned BLAS threads; its wall time in seconds (raises when it fails)."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**os.environ, **PINNED}, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds


def scores(course: Path) -> dict:
    """``(assignment, student, cell) -> score`` of a course's gradebook."""
    out = {}
    for assignment, rows in gradebook_scores(course, list(ASSIGNMENTS)).items():
        for student, cells in rows.items():
            for cell in cells:
                out[(assignment, student, cell.grade_id)] = cell.score
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-assignment", type=int, default=8, help="submissions per assignment (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="engine workers (default 2)")
    parser.add_argument("--keep", help="keep the two course directories here")
    args = parser.parse_args(argv)
    bindir = Path(sys.executable).parent

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        template = build_course(base / "template", args.per_assignment)
        plain, engine = base / "nbgrader", base / "engine"
        for dest in (plain, engine):
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(template, dest)
        n = args.per_assignment * len(ASSIGNMENTS)
        print(f"{n} submissions ({args.per_assignment} each of {', '.join(ASSIGNMENTS)}), {os.cpu_count()} CPUs")

        t_plain = sum(timed([str(bindir / "nbgrader"), "autograde", a, "--force"], plain) for a in ASSIGNMENTS)
        print(f"nbgrader autograde (sequential):      {t_plain:7.1f} s  ({t_plain / n:.2f} s per notebook)")
        t_engine = sum(timed([str(bindir / "autograder"), "grade", a, "--workers", str(args.workers), "--quiet",
                              "--force"], engine) for a in ASSIGNMENTS)
        print(f"autograder grade --workers {args.workers}:         {t_engine:7.1f} s  ({t_engine / n:.2f} s per notebook)")
        print(f"speed-up: {t_plain / t_engine:.2f}x")

        same = scores(plain) == scores(engine)
        print(f"same score for every cell in both gradebooks: {same}")

        log = [json.loads(line) for line in (engine / ".autograder" / "grade-log.jsonl").read_text().splitlines()]
        start = [r["kernel_start_s"] for r in log if r.get("kernel_start_s") is not None]
        execute = [r["execution_s"] for r in log if r.get("execution_s") is not None]
        around = [r["worker_s"] - (r["kernel_start_s"] or 0) - (r["execution_s"] or 0) for r in log
                  if r.get("worker_s") is not None]
        scoring = [r["scoring_s"] for r in log if r.get("scoring_s") is not None]
        print(f"engine, per notebook (median): kernel start {statistics.median(start):.2f} s, execution "
              f"{statistics.median(execute):.2f} s, worker overhead {statistics.median(around):.2f} s, "
              f"coordinator import {statistics.median(scoring):.2f} s")
        busy = sum(r["worker_s"] for r in log if r.get("worker_s") is not None)
        print(f"engine, whole run: {busy:.1f} s of worker time in {t_engine:.1f} s wall on {args.workers} workers "
              f"({busy / (t_engine * args.workers):.0%} busy); overhead per notebook beyond execution "
              f"{(t_engine * args.workers - sum(execute)) / n:.2f} s (incl. kernel start and cluster start-up)")
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
