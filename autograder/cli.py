"""The ``autograder`` command line (also ``python -m autograder``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .course import REPO_ROOT, CourseError, check_assignment, list_assignments

EPILOG = """\
examples:
  autograder release --all                 regenerate release/ and solutions/ from source/
  autograder release --all --check         fail if the committed copies are out of date
  autograder grade a2_mlp_mnist            autograde submitted/<student>/a2_mlp_mnist/
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
    from .generate import REGENERATE_COMMAND, generate, stale_files

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
    """Autograde every submission of an assignment."""
    from .export import format_table, gradebook_scores
    from .grading import grade

    course_dir = Path(args.course_dir).resolve()
    results = grade(course_dir, args.assignment, students=args.student or None, force=not args.no_force,
                    progress=not args.quiet)
    failed = [r for r in results if not r.success]
    print(format_table(args.assignment, gradebook_scores(course_dir, [args.assignment]).get(args.assignment, {})))
    for r in failed:
        print(f"\n{r.student}: nbgrader could not grade this submission:\n{r.error.strip()[-2000:]}", file=sys.stderr)
    return 1 if failed else 0


def cmd_export(args) -> int:
    """Write the gradebook's scores as CSV."""
    from .export import gradebook_scores, write_csv

    course_dir = Path(args.course_dir).resolve()
    scores = gradebook_scores(course_dir, [args.assignment] if args.assignment else None)
    if not scores:
        raise CourseError(f"no graded submissions in {course_dir / 'gradebook.db'}: run `autograder grade` first")
    path = write_csv(scores, Path(args.output), per_cell=not args.totals_only)
    print(f"wrote {path} ({sum(len(v) for v in scores.values())} rows)")
    return 0


def cmd_demo(args) -> int:
    """Run the demo."""
    from .demo import run_demo

    run_demo(Path(args.course_dir), args.assignment or None, progress=not args.quiet)
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
                       description="Autograde every submission of an assignment with nbgrader (hidden tests "
                       "restored from the gradebook) and print a table of scores.",
                       epilog="example: autograder grade a2_mlp_mnist --course-dir my-course")
    p.add_argument("assignment")
    p.add_argument("--student", action="append", help="only this student (repeatable)")
    p.add_argument("--no-force", action="store_true", help="skip submissions nbgrader graded before")
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

    p = sub.add_parser("demo", help="release, submit samples, grade and export in a scratch course",
                       description="Create a scratch course directory, release the assignments, submit the "
                       "solution, the untouched release and the known wrong implementations, autograde them, "
                       "print the gradebook and write grades.csv.",
                       epilog="example: autograder demo a2_mlp_mnist --course-dir /tmp/demo")
    p.add_argument("assignment", nargs="*", help="assignments (default: all)")
    p.add_argument("--course-dir", default="demo-course", help="scratch course directory (default: demo-course)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_demo)
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
