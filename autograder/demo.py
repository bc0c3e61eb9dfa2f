"""``autograder demo``: the whole instructor workflow on sample submissions, in a scratch course."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from .course import REPO_ROOT, list_assignments, new_course_dir
from .engine.coordinator import grade_parallel, open_client
from .export import format_table, gradebook_scores, write_csv
from .generate import generate
from .samples import sample_submissions, write_submission


def run_demo(course_dir: Path, assignments: list[str] | None = None, *, progress: bool = True,
             workers: int | None = None) -> Path:
    """Release assignments, submit the sample submissions, autograde them, print scores, write a CSV.

    Parameters
    ----------
    course_dir : Path
        Scratch course directory to (re)create.
    assignments : list of str or None
        Default: every assignment of the course.
    progress : bool
    workers : int or None
        Dask worker processes grading in parallel (default: one per core).

    Returns
    -------
    csv_path : Path
        ``<course_dir>/grades.csv``.
    """
    assignments = assignments or list_assignments(REPO_ROOT)
    course_dir = Path(course_dir).resolve()
    if course_dir.exists():
        shutil.rmtree(course_dir)
    new_course_dir(course_dir, assignments)
    print(f"Scratch course directory: {course_dir}")
    with open_client(workers) as client:
        for assignment in assignments:
            _demo_assignment(course_dir, assignment, client, progress)
    scores = gradebook_scores(course_dir, assignments)
    for assignment in assignments:
        print()
        print(format_table(assignment, scores.get(assignment, {})))
    csv_path = write_csv(scores, course_dir / "grades.csv")
    print(f"\nGrades written to {csv_path}")
    print(f"Graded notebooks (with test output) are in {course_dir / 'autograded'}")
    return csv_path


def _demo_assignment(course_dir: Path, assignment: str, client, progress: bool) -> None:
    """Release one assignment in the scratch course, submit its samples and grade them on `client`."""
    generate(assignment, source_root=course_dir, out_root=course_dir, gradebook=course_dir / "gradebook.db")
    subs = sample_submissions(assignment)
    for student, nb in subs.items():
        write_submission(course_dir, student, assignment, nb)
    print(f"\n[{assignment}] released; {len(subs)} sample submissions: the solution, the untouched "
          "release and one per known wrong implementation (tests/mutants/)")
    start = time.perf_counter()
    results = grade_parallel(course_dir, assignment, client=client, force=True, progress=progress)
    failed = [r.student for r in results if not r.success]
    print(f"[{assignment}] graded {len(results)} submissions in {time.perf_counter() - start:.0f} s"
          + (f"; nbgrader reported errors for: {', '.join(failed)}" if failed else ""))
