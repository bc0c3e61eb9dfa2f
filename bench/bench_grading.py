"""Wall time of grading one batch: plain ``nbgrader autograde`` against ``autograder grade --workers N``.

The batch: for each of a3_mlp_moons and a2_mlp_mnist, the solution (correct), the untouched release
(blank) and the first mutants (partly wrong), 16 submissions by default. Both graders get an
identical copy of the same course directory and run as separate processes, one after the other, in
this run, with BLAS pinned to one thread (``OMP_NUM_THREADS=1`` etc.) for both: ``nbgrader autograde``
once per assignment (it takes one per call), ``autograder grade`` once for both (one cluster, one
queue, the longer a2 first). The script checks
that both gradebooks hold the same score for every cell, then prints wall times, the ratio, and the
engine's per-notebook figures from its grade log: kernel start (and how many kernels were warm),
execution, the overhead on the worker (worker time minus execution: everything except running the
notebook's cells, the kernel start included) and the coordinator's time per result; then a scaling
table for 1 to 32 workers *modelled* from those medians (see `report_engine`). It also prints the CPU seconds
each grader's processes used (kernels, workers, coordinator: every reaped child): on a machine whose cores are
all busy, ``--workers N`` can be N times faster than sequential nbgrader only if it spends no more CPU.

The *ceiling* (skip it with ``--no-ceiling``): plain nbgrader on the same batch split into ``--workers``
courses graded at the same time (`side_by_side`). No engine code runs there, so it is what that many
processes grading these notebooks cost on this machine with its cores, caches and memory bandwidth
shared; an engine with that many workers cannot beat it by more than what it saves per notebook.

Not a test: timings on shared machines are noisy, so only ratios measured in one run mean much; with
``--repeat K`` the two graders alternate K times and the median of the K ratios is printed (the machine's
speed drifts within minutes, so each ratio compares runs close in time).

Usage::

    python bench/bench_grading.py [--per-assignment 8] [--workers 2] [--repeat 1] [--keep DIR] [--no-ceiling]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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


def children_cpu() -> float:
    """CPU seconds (user + system) of this process's waited-for children and their reaped descendants."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], cwd: Path) -> float:
    """Run a command with pinned BLAS threads; its wall time in seconds (raises when it fails)."""
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env={**os.environ, **PINNED}, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return seconds


def cpu_line(label: str, cpu: float, wall: float, cores: int) -> str:
    """One line of CPU accounting: seconds, and how busy they kept ``cores`` cores over ``wall``."""
    return f"  CPU, {label}: {cpu:7.1f} s ({cpu / (wall * cores):.0%} of {cores} core(s) over its wall time)"


def side_by_side(template: Path, base: Path, parts: int, bindir: Path) -> float:
    """Wall time of plain nbgrader on the batch split into ``parts`` courses graded at the same time.

    Each copy of the course keeps every ``parts``-th submission of each assignment (so the long and short
    notebooks are shared out evenly) and runs ``nbgrader autograde`` for each assignment in turn, all copies
    at once. No engine is involved: this is what ``parts`` processes grading these notebooks in parallel
    cost on this machine (its cores, caches and memory shared), the ceiling for an engine with that many
    workers.
    """
    copies = []
    for k in range(parts):
        dest = base / f"nbgrader-part{k}"
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(template, dest)
        for assignment in ASSIGNMENTS:
            students = sorted(p.name for p in (dest / "submitted").iterdir()
                              if (p / assignment).is_dir())
            for i, student in enumerate(students):
                if i % parts != k:
                    shutil.rmtree(dest / "submitted" / student / assignment)
        copies.append(dest)
    errors = []

    def run(course: Path) -> None:
        try:
            for assignment in ASSIGNMENTS:
                timed([str(bindir / "nbgrader"), "autograde", assignment, "--force"], course)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    t0 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(c,)) for c in copies]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - t0


def scores(course: Path) -> dict:
    """``(assignment, student, cell) -> score`` of a course's gradebook."""
    out = {}
    for assignment, rows in gradebook_scores(course, list(ASSIGNMENTS)).items():
        for student, cells in rows.items():
            for cell in cells:
                out[(assignment, student, cell.grade_id)] = cell.score
    return out


def _median(values) -> float:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else float("nan")


def report_engine(log: list[dict], t_engine: float, n: int, workers: int) -> None:
    """Per-notebook figures from the engine's grade log, and the modelled scaling table."""
    done = [r for r in log if r.get("worker_s") is not None and r.get("execution_s") is not None]
    overhead = [r["worker_s"] - r["execution_s"] for r in done]  # everything but the notebook's own cells
    warm = sum(1 for r in done if r.get("warm_kernel"))
    print(f"engine, per notebook (median): kernel start {_median(r['kernel_start_s'] for r in done):.2f} s "
          f"({warm} of {len(done)} kernels warm), execution {_median(r['execution_s'] for r in done):.2f} s, "
          f"overhead on the worker {_median(overhead):.2f} s (everything except executing the cells), "
          f"coordinator {_median(r.get('coordinator_s') for r in done):.2f} s per result "
          f"(import {_median(r['scoring_s'] for r in done):.2f} s)")
    busy = sum(r["worker_s"] for r in done)
    print(f"engine, whole run: {busy:.1f} s of worker time in {t_engine:.1f} s wall on {workers} workers "
          f"({busy / (t_engine * workers):.0%} busy); wall per notebook beyond execution "
          f"{(t_engine * workers - sum(r['execution_s'] for r in done)) / n:.2f} s (cluster start-up included)")
    print()
    print("Modelled scaling (from this run's medians, NOT measured: one worker per core; throughput = the least of")
    print("workers / worker time per notebook, 1 / the coordinator's own time per result (its ledger line), and")
    print("import processes / import time, with the import processes the run picks, assumed to scale linearly;")
    print("bench/bench_import.py measures how they do):")
    from autograder.engine.import_pool import import_processes

    by = {}
    for r in done:
        by.setdefault(r["assignment"], []).append(r)
    print(f"  {'assignment':16s} {'workers':>7s} {'importers':>9s} {'notebooks/s':>11s}  limit")
    for assignment, rows in sorted(by.items()):
        w = _median(r["worker_s"] for r in rows)
        imp = _median(r["scoring_s"] for r in rows)
        own = max(0.001, _median(r["own_s"] for r in rows) if all("own_s" in r for r in rows)
                  else _median(r.get("coordinator_s") for r in rows) - imp)  # logs before own_s
        for k in (1, 2, 4, 8, 16, 32, 64):
            p = import_processes(k)
            limits = {"workers": k / w, "coordinator": 1 / own, "imports": max(p, 1) / imp}
            limit = min(limits, key=limits.get)
            print(f"  {assignment:16s} {k:7d} {p:9d} {limits[limit]:11.2f}  {limit}")
        print(f"  {assignment}: worker {w:.2f} s per notebook; import {imp:.2f} s and the coordinator's own "
              f"{own:.2f} s per result: imports in one process limit it from about {w / (imp + own):.0f} workers")


def one_round(template: Path, base: Path, workers: int, bindir: Path, n: int, label: str = "") -> dict:
    """Grade the batch once with each grader, nbgrader first, on fresh copies; print and return the figures."""
    plain, engine = base / "nbgrader", base / "engine"
    for dest in (plain, engine):
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(template, dest)
    # every process the graders start is reaped (kernels by their workers, workers by the engine's
    # nannies), so the children's CPU counts them all
    cpu_start = children_cpu()
    t_plain = sum(timed([str(bindir / "nbgrader"), "autograde", a, "--force"], plain) for a in ASSIGNMENTS)
    cpu_between = children_cpu()
    print(f"{label}nbgrader autograde (sequential):      {t_plain:7.1f} s  ({t_plain / n:.2f} s per notebook)")
    # nbgrader autograde takes one assignment per call; autograder grade takes both in one run (one
    # cluster, one queue: a2's long notebooks first, a3's short ones fill the workers at the end)
    t_engine = timed([str(bindir / "autograder"), "grade", *sorted(ASSIGNMENTS), "--workers", str(workers),
                      "--quiet", "--force"], engine)
    cpu_engine, cpu_plain = children_cpu() - cpu_between, cpu_between - cpu_start
    print(f"{label}autograder grade --workers {workers}:         {t_engine:7.1f} s  ({t_engine / n:.2f} s per notebook)")
    print(f"{label}speed-up: {t_plain / t_engine:.2f}x")
    # On a CPU-bound machine the wall-time ratio can reach the worker count only when the engine spends no
    # more CPU than the peer: these lines say how far that is.
    print(cpu_line("nbgrader sequential", cpu_plain, t_plain, 1))
    print(cpu_line(f"engine --workers {workers}", cpu_engine, t_engine, min(workers, os.cpu_count() or 1)))
    print(f"  engine CPU / nbgrader CPU: {cpu_engine / cpu_plain:.2f} (a {workers}x speed-up on "
          f"{workers} busy cores needs at most about 1.00)")
    same = scores(plain) == scores(engine)
    print(f"{label}same score for every cell in both gradebooks: {same}")
    log = [json.loads(line) for line in (engine / ".autograder" / "grade-log.jsonl").read_text().splitlines()]
    return {"plain": t_plain, "engine": t_engine, "same": same, "log": log}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-assignment", type=int, default=8, help="submissions per assignment (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="engine workers (default 2)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of nbgrader then the engine, each on fresh copies; the median ratio is "
                             "printed (a shared machine's speed drifts between runs: pairs close in time "
                             "compare fairly) (default 1)")
    parser.add_argument("--keep", help="keep the course directories here")
    parser.add_argument("--no-ceiling", action="store_true",
                        help="skip plain nbgrader on the batch split into --workers parts run side by side")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    bindir = Path(sys.executable).parent

    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        base = Path(args.keep) if args.keep else Path(tmp)
        template = build_course(base / "template", args.per_assignment)
        n = args.per_assignment * len(ASSIGNMENTS)
        print(f"{n} submissions ({args.per_assignment} each of {', '.join(ASSIGNMENTS)}), {os.cpu_count()} CPUs")
        rounds = []
        for k in range(args.repeat):
            label = f"[round {k + 1}/{args.repeat}] " if args.repeat > 1 else ""
            rounds.append(one_round(template, base, args.workers, bindir, n, label))
        if args.repeat > 1:
            ratios = [r["plain"] / r["engine"] for r in rounds]
            print(f"speed-up per round: {', '.join(f'{x:.2f}x' for x in ratios)}; median {statistics.median(ratios):.2f}x "
                  f"(nbgrader median {statistics.median(r['plain'] for r in rounds):.1f} s, engine median "
                  f"{statistics.median(r['engine'] for r in rounds):.1f} s)")
        last = rounds[-1]
        if not args.no_ceiling and args.workers > 1:
            t_split = side_by_side(template, base, args.workers, bindir)
            print(f"ceiling: nbgrader on the batch split in {args.workers} parts, run side by side: {t_split:7.1f} s "
                  f"({last['plain'] / t_split:.2f}x over the last sequential run; the last engine run reaches "
                  f"{t_split / last['engine']:.0%} of it)")

        same = all(r["same"] for r in rounds)
        report_engine(last["log"], last["engine"], n, args.workers)
        return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
