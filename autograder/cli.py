"""The ``autograder`` command line (also ``python -m autograder``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .import_costs import skip_unused_optional_imports

skip_unused_optional_imports()  # before anything imports jsonschema (see import_costs); never in a kernel

from .course.config import REPO_ROOT, CourseError, check_assignment, list_assignments

EPILOG = """\
examples:
  autograder release --all                 regenerate release/ and solutions/ from source/
  autograder release --all --check         fail if the committed copies are out of date
  autograder grade a2_mlp_mnist            autograde submitted/<student>/a2_mlp_mnist/ (parallel, resumable)
  autograder audit --all                   do the hidden tests catch every known wrong implementation?
  autograder measure --all                 how long each solution takes to grade (the notebook timeout)
  autograder validate hw.ipynb             a student's check of the public tests before handing in
  autograder collect a2_mlp_mnist dl.zip   import an LMS download into submitted/
  autograder feedback a2_mlp_mnist         feedback HTML per student, hidden tests removed
  autograder report a2_mlp_mnist           HTML/CSV picture of the class (histogram, pass rate per test)
  autograder export -o grades.csv          write every score in the gradebook as CSV
  autograder demo                          the whole workflow on sample submissions
"""


def _assignments(args, course_dir: Path) -> list[str]:
    if args.all:
        names = list_assignments(course_dir)
        if not names:
            raise CourseError(f"no assignments under {course_dir / 'source'}")
        return names
    if not args.assignment:
        raise CourseError("name an assignment or pass --all")
    for name in args.assignment:
        check_assignment(name, course_dir)
    return args.assignment


def cmd_release(args) -> int:
    """Regenerate (or check) the student and solution versions."""
    from .course.release import REGENERATE_COMMAND, generate, stale_files

    course_dir = Path(args.course_dir).resolve()
    status = 0
    for name in _assignments(args, course_dir):
        if args.check:
            problems = stale_files(name, source_root=course_dir)
            for line in problems:
                print(f"stale: {line}")
            if problems:
                status = 1
            else:
                print(f"{name}: release/ and solutions/ are up to date")
        else:
            release_dir, solution_dir = generate(name, source_root=course_dir,
                                                 gradebook=course_dir / "gradebook.db")
            print(f"{name}: wrote {release_dir.relative_to(course_dir)} and {solution_dir.relative_to(course_dir)}")
    if status:
        print(f"regenerate with: {REGENERATE_COMMAND}", file=sys.stderr)
    return status


def cmd_grade(args) -> int:
    """Autograde every submission of one or more assignments (in parallel on Dask, or one after the other)."""
    from .lifecycle.export import format_table, gradebook_scores

    course_dir = Path(args.course_dir).resolve()
    assignments = list(dict.fromkeys(args.assignment))
    if args.sequential or args.workers == 0:
        from .lifecycle.grading import grade

        given = [flag for flag, value in (("--scheduler", args.scheduler), ("--timeout", args.timeout),
                                          ("--notebook-timeout", args.notebook_timeout), ("--memory", args.memory),
                                          ("--max-output", args.max_output),
                                          ("--force", args.force)) if value]
        if given:
            raise CourseError(f"not available with the sequential engine: {', '.join(given)} "
                              "(drop --sequential or --workers 0)")
        results = [r for a in assignments
                   for r in grade(course_dir, a, students=args.student or None, force=not args.no_force,
                                  progress=not args.quiet)]
    else:
        from .engine.coordinator import grade_assignments
        if args.workers is not None and args.workers < 0:
            raise CourseError("--workers must be 0 (sequential) or more")
        from .engine.limits import configured_limits, describe_for
        from .engine.sandbox import describe

        configured = configured_limits(course_dir)
        limits = {a: configured.limits(assignment=a, timeout=args.timeout, notebook_timeout=args.notebook_timeout,
                                       memory_mb=args.memory, output_mb=args.max_output, guard=not args.no_guard,
                                       judge=not args.no_judge)
                  for a in assignments}
        for a in assignments:
            prefix = f"{a}: " if len(assignments) > 1 else ""
            print(f"autograder: {prefix}{describe_for(course_dir, limits[a], a)}", file=sys.stderr)
        print(f"autograder: {describe(not args.no_guard, not args.no_judge)}", file=sys.stderr)  # even with --quiet
        if args.no_judge:
            print("autograder: WARNING: --no-judge: test cells run in the student's kernel, as in plain nbgrader; "
                  "student code can read the hidden tests' helpers and values and change how they run",
                  file=sys.stderr)
        if args.no_guard:
            print("autograder: WARNING: --no-guard: student code runs without the kernel guard; it can read "
                  "the hidden tests, reach the network and forge passing tests", file=sys.stderr)
        results = grade_assignments(course_dir, assignments, students=args.student or None, workers=args.workers,
                                    scheduler=args.scheduler, limits=limits, force=args.force,
                                    progress=not args.quiet, processes=args.import_processes)
    scores = gradebook_scores(course_dir, assignments)
    print("\n\n".join(format_table(a, scores.get(a, {})) for a in assignments))
    problems = [r for r in results if r.status not in ("graded", "skipped") or (r.status == "skipped" and r.reasons)]
    if problems:
        print(f"\n{len(problems)} submission(s) with problems:", file=sys.stderr)
    for r in problems:
        reasons = r.reasons or [r.error.strip()[-2000:]]
        status = r.error if r.status == "skipped" else r.status  # "graded before: limit"
        where = f"{r.assignment}/" if len(assignments) > 1 else ""
        print(f"  {where}{r.student}: {status}: " + "\n    ".join(reasons), file=sys.stderr)
    return 1 if any(r.status in ("failed", "error") for r in results) else 0


def cmd_export(args) -> int:
    """Write the gradebook's scores as CSV."""
    from .lifecycle.export import gradebook_scores, write_csv

    course_dir = Path(args.course_dir).resolve()
    scores = gradebook_scores(course_dir, [args.assignment] if args.assignment else None)
    if not scores:
        raise CourseError(f"no graded submissions in {course_dir / 'gradebook.db'}: run `autograder grade` first")
    path = write_csv(scores, Path(args.output), per_cell=not args.totals_only)
    print(f"wrote {path} ({sum(len(v) for v in scores.values())} rows)")
    return 0


def cmd_validate(args) -> int:
    """Run a notebook's public tests and list the test cells that still fail."""
    from .lifecycle.validate import format_result, validate_notebook

    status = 0
    for path in args.notebook:
        result = validate_notebook(Path(path), timeout=args.timeout, progress=not args.quiet)
        print(format_result(result))
        status = status or (0 if result.ok else 1)
    return status


def cmd_feedback(args) -> int:
    """Write feedback HTML for graded submissions, hidden tests removed, and check that none leaked."""
    from .lifecycle.feedback import find_leaks, generate_feedback

    course_dir = Path(args.course_dir).resolve()
    files = generate_feedback(course_dir, args.assignment, students=args.student or None)
    leaks = find_leaks(course_dir, args.assignment, files)
    if leaks:  # defence in depth: RedactHiddenTests should make this impossible
        for path, lines in leaks.items():
            print(f"hidden test lines in {path}: {lines[:3]}", file=sys.stderr)
        raise CourseError("feedback would reveal hidden tests; the files above must not be handed back")
    for path in files:
        print(path.relative_to(course_dir))
    print(f"wrote {len(files)} feedback file(s) under {course_dir / 'feedback'}; no hidden test line in any of them")
    return 0


def cmd_audit(args) -> int:
    """Grade every mutant of the assignments and report the ones the hidden tests let through."""
    from .audit.run import audit_assignment, format_audit
    from .engine.coordinator import open_client

    names = _assignments(args, REPO_ROOT)
    tables, status = [], 0
    with open_client(workers=args.workers) as client:
        for name in names:
            course = Path(args.course_dir) / name if args.course_dir else None
            result = audit_assignment(name, course_dir=course, client=client, progress=not args.quiet,
                                      only=set(args.only) if args.only else None)
            tables.append(format_audit(result))
            print(tables[-1] + "\n", flush=True)
            status = status or (0 if result.ok else 1)
    if args.output:
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text("\n\n".join(tables) + "\n", encoding="utf-8")
        print(f"wrote {out}")
    if status:
        print("audit failed: a mutant survived, missed its cell or lost points elsewhere, a correct variant lost "
              "points (TOO STRICT), or the solution lost points (see the tables above)", file=sys.stderr)
    return status


def cmd_measure(args) -> int:
    """Grade each solution once and print the solution_seconds line for nbgrader_config.py."""
    from .engine.limits import configured_limits
    from .audit.measure import config_line, measure_solutions

    names = _assignments(args, REPO_ROOT)
    seconds = measure_solutions(names, progress=not args.quiet)
    limits = configured_limits(REPO_ROOT)
    for name, value in seconds.items():
        timeout = max(limits.min_notebook_timeout, limits.timeout_factor * value)
        print(f"{name}: solution graded in {value:g} s; derived notebook timeout {timeout:g} s")
    print("keep in nbgrader_config.py:\n" + config_line(seconds))
    return 0


def cmd_demo(args) -> int:
    """Run the demo."""
    from .demo import run_demo

    run_demo(Path(args.course_dir), args.assignment or None, everything=args.all, progress=not args.quiet,
             workers=args.workers)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``autograder`` command.

    Returns
    -------
    parser : argparse.ArgumentParser
    """
    parser = argparse.ArgumentParser(prog="autograder", description="backprop-course: release, autograde and "
                                     "export grades of the course's nbgrader assignments.",
                                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("release", help="regenerate release/ and solutions/ from source/ (nbgrader)",
                       description="Generate the student version (release/, solutions and hidden tests removed) "
                       "and the solution version (solutions/, hidden tests removed) of assignments with nbgrader, "
                       "and register them in the course's gradebook.",
                       epilog="example: autograder release --all --check", aliases=["generate"])
    p.add_argument("assignment", nargs="*", help="assignment names (directories under source/)")
    p.add_argument("--all", action="store_true", help="every assignment under source/")
    p.add_argument("--check", action="store_true", help="only compare the committed copies with a fresh generation")
    p.add_argument("--course-dir", default=".", help="course directory (default: current directory)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("grade", help="autograde submitted/<student>/<assignment>/",
                       description="Autograde every submission of one or more assignments with nbgrader (hidden tests "
                       "restored from the gradebook) and print a table of scores. By default the notebooks run "
                       "in parallel on a local Dask cluster (or an existing one, --scheduler); only this process "
                       "writes the course, with nbgrader's own autograde steps, so the gradebook is the same as "
                       "with --sequential. Runs are resumable: <course>/.autograder/graded.jsonl lists what was "
                       "graded, and a submission whose files, source and configuration are unchanged is skipped "
                       "(--force regrades). A limit that is hit gives 0 on the cells it stopped, with a reason "
                       "in the output and in <course>/.autograder/grade-log.jsonl. Exit status 1 when a "
                       "submission could not be graded. Several assignments share one cluster and one queue "
                       "(the workers stay busy from one to the next).",
                       epilog="example: autograder grade a2_mlp_mnist a3_mlp_moons --workers 4 --timeout 120 "
                       "--memory 2048")
    p.add_argument("assignment", nargs="+", help="assignment(s) under source/")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--workers", type=int, metavar="N", help="worker processes of the local Dask cluster "
                   "(default: number of CPUs; 0: sequential)")
    p.add_argument("--sequential", action="store_true", help="grade one submission after the other in this "
                   "process with nbgrader (the previous engine; no ledger, no limits)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="use a running Dask cluster, e.g. tcp://host:8786 "
                   "(workers need this package installed)")
    p.add_argument("--import-processes", type=int, metavar="N", help="processes that write results into the "
                   "course (default: none below 8 worker threads, then one per 4 threads, 2 to 8)")
    p.add_argument("--timeout", type=int, metavar="S", help="seconds each cell may run (default: "
                   "Execute.timeout of nbgrader_config.py)")
    p.add_argument("--notebook-timeout", type=float, metavar="S", help="seconds all cells of a notebook may run "
                   "together; the kernel is then stopped and the remaining cells get 0 (default: "
                   "GradingLimits.notebook_timeout of nbgrader_config.py, 1800; 0: no limit)")
    p.add_argument("--memory", type=int, metavar="MB", help="address-space cap of each notebook's kernel in MiB; "
                   "larger allocations raise MemoryError (default: GradingLimits.memory_mb of nbgrader_config.py, "
                   "4096; 0: no cap)")
    p.add_argument("--max-output", type=float, metavar="MB", help="MiB of output a notebook may print; the rest "
                   "is dropped with a note (default: 10; 0: no cap)")
    p.add_argument("--no-guard", action="store_true", help="run kernels without the guard (audit hook: files "
                   "outside the notebook's folder, network, processes, tampering with the tests); for debugging")
    p.add_argument("--no-judge", action="store_true", help="run the test cells in the student's kernel, as plain "
                   "nbgrader does, instead of in the judge (the weaker mode; for debugging and comparison)")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded with the same content")
    p.add_argument("--no-force", action="store_true", help="with --sequential: skip submissions nbgrader graded before")
    p.add_argument("--course-dir", default=".", help="course directory (default: current directory)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("export", help="write scores as CSV", description="Write one CSV row per student and "
                       "assignment: autograded and manual totals, and one column per graded cell.",
                       epilog="example: autograder export a2_mlp_mnist -o grades.csv")
    p.add_argument("assignment", nargs="?", help="only this assignment")
    p.add_argument("-o", "--output", default="grades.csv", help="CSV file (default: grades.csv)")
    p.add_argument("--totals-only", action="store_true", help="no per-cell columns")
    p.add_argument("--course-dir", default=".", help="course directory (default: current directory)")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("demo", help="release, submit samples, grade and report in a scratch course (minutes)",
                       description="Create a scratch course directory, release a2, submit the solution, the "
                       "untouched release and three known wrong implementations, autograde them, explain what each "
                       "wrong one lost, print the gradebook and write grades.csv and the report. --all: every "
                       "assignment with every known wrong implementation (tens of minutes).",
                       epilog="example: autograder demo --all --course-dir /tmp/demo")
    p.add_argument("assignment", nargs="*", help="assignments (default: a2_mlp_mnist, or all with --all)")
    p.add_argument("--all", action="store_true", help="the full tour: every assignment, every known wrong "
                   "implementation")
    p.add_argument("--course-dir", default="demo-course", help="scratch course directory (default: demo-course)")
    p.add_argument("--workers", type=int, default=None, help="parallel grading processes (default: one per core)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("validate", help="a student's self-check: run the public tests of a notebook",
                       description="Execute a notebook top to bottom in a fresh kernel (the notebook file is not "
                       "changed) and list each test cell: PASS, or FAIL with its message and the TODO cells it "
                       "tests. Only the public tests run; hidden tests run at grading. Exit status 0 when every "
                       "public test passes, 1 otherwise.",
                       epilog="example: autograder validate release/a2_mlp_mnist/a2_mlp_mnist.ipynb")
    p.add_argument("notebook", nargs="+", help="notebook file(s)")
    p.add_argument("--timeout", type=int, default=300, metavar="S", help="seconds each cell may run (default 300)")
    p.add_argument("--quiet", action="store_true", help="no progress")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("feedback", help="feedback HTML per student, without hidden tests",
                       description="Write feedback/<student>/<assignment>/<notebook>.html for every graded "
                       "submission with nbgrader's generate_feedback: scores per cell, the student's code, public "
                       "tests and the failure message of each failing test. Hidden tests, and the tracebacks that "
                       "would quote them, are removed; the files are then checked for any hidden-test line.",
                       epilog="example: autograder feedback a2_mlp_mnist --student alice")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--course-dir", default=".", help="course directory (default: current directory)")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("measure", help="time each solution's grading (for the derived notebook timeout)",
                       description="Grade each assignment's solution alone on one worker, as `grade` would, and "
                       "print the seconds it took and the c.GradingLimits.solution_seconds line to keep in "
                       "nbgrader_config.py; the notebook timeout of `grade` is timeout_factor times these seconds.",
                       epilog="example: autograder measure --all")
    p.add_argument("assignment", nargs="*", help="assignment names")
    p.add_argument("--all", action="store_true", help="every assignment under source/")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_measure)

    p = sub.add_parser("audit", help="test the hidden tests against the corpus of wrong implementations",
                       description="Build every mutant of tests/mutants/<assignment>/ (the solution with one answer "
                       "cell replaced by a typical mistake) and every correct variant of "
                       "tests/correct_variants/<assignment>/ (another correct way to write a cell) as a submission, "
                       "autograde them with the solution in a scratch course, and print per mutant the cells that "
                       "lost points and the cells expected to. Exit status 1 when a mutant survives (no points "
                       "lost), misses an expected cell, loses points on an unrelated cell, when a correct variant "
                       "loses points (TOO STRICT), or when the solution loses points.",
                       epilog="example: autograder audit --all --workers 2 -o build/audit.txt")
    p.add_argument("assignment", nargs="*", help="assignment names")
    p.add_argument("--all", action="store_true", help="every assignment under source/")
    p.add_argument("--workers", type=int, metavar="N", help="parallel grading processes (default: one per core)")
    p.add_argument("-o", "--output", help="also write the tables to this file")
    p.add_argument("--course-dir", help="keep the scratch courses here (<dir>/<assignment>)")
    p.add_argument("--only", action="append", metavar="NAME",
                   help="grade only this mutant or correct variant, with the solution (repeatable)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_audit)

    from .lifecycle import report
    report.register(sub)
    from .lifecycle import collect
    collect.register(sub)
    from .lifecycle import similarity
    similarity.register(sub)
    from .lifecycle import gradescope
    gradescope.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``autograder`` console script.

    Parameters
    ----------
    argv : list of str or None

    Returns
    -------
    status : int
        Process exit status.
    """
    args = build_parser().parse_args(argv)
    from .course.config import quiet_gradebook_warnings

    quiet_gradebook_warnings()
    try:
        return args.func(args)
    except CourseError as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autograder: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
