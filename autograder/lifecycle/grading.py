"""Sequential autograding with nbgrader, and reading scores back from its gradebook.

This is the sequential engine (``autograder grade --sequential``): one ``nbgrader autograde`` per
submission through ``NbGraderAPI``, with a progress bar. The default engine, parallel on Dask and
resumable, is ``autograder.engine`` (``grade_parallel``); it writes the same gradebook. nbgrader
restores the test cells (hidden tests included) from the gradebook before running a submission, so
students cannot change what the tests check by editing them.
"""

from __future__ import annotations

import time
from pathlib import Path

from ..course.config import CourseError, make_api
from ..engine.jobs import read_tree
from ..engine.worker import explain
from ..course.gradebook import CellScore, SubmissionResult, ensure_in_gradebook, find_submissions, read_scores

__all__ = ["grade", "CellScore", "SubmissionResult", "ensure_in_gradebook", "find_submissions", "read_scores"]


def grade(course_dir: Path, assignment: str, *, students: list[str] | None = None, force: bool = True,
          progress: bool = True) -> list[SubmissionResult]:
    """Autograde every submission of an assignment, one after the other.

    Parameters
    ----------
    course_dir : Path
        Course directory with ``source/<assignment>`` and ``submitted/<student>/<assignment>``.
    assignment : str
    students : list of str or None
        Only these students (default: every submission found).
    force : bool
        Regrade submissions that were graded before.
    progress : bool
        Show a progress bar on stderr.

    Returns
    -------
    results : list of SubmissionResult
        One per student, in the order graded. ``reasons`` explain a failed submission (what nbgrader
        could not grade) or note what nbgrader repaired in a graded one (``autograder.engine.diagnose``).
    """
    from tqdm import tqdm

    course_dir = Path(course_dir).resolve()
    if not (course_dir / "source" / assignment).is_dir():
        raise CourseError(f"no source/{assignment} in {course_dir}: grade from the course directory "
                          "(or pass --course-dir)")
    if students is None:
        students = find_submissions(course_dir, assignment)
    if not students:
        raise CourseError(f"no submissions of {assignment} under {course_dir / 'submitted'} "
                          f"(expected submitted/<student>/{assignment}/*.ipynb)")
    ensure_in_gradebook(course_dir, assignment)
    api = make_api(course_dir)
    source = read_tree(course_dir / "source" / assignment)
    results = []
    failures = 0
    bar = tqdm(students, desc=f"grading {assignment}", unit="nb", disable=not progress)
    for student in bar:
        start = time.perf_counter()
        outcome = api.autograde(assignment, student, force=force)
        result = SubmissionResult(student, assignment, bool(outcome["success"]),
                                  seconds=time.perf_counter() - start,
                                  error="" if outcome["success"] else (outcome.get("error") or outcome.get("log", "")))
        result.cells = read_scores(course_dir, assignment, student)
        result.status = "graded" if result.success else "failed"
        try:
            problems, notes = explain(course_dir, read_tree(course_dir / "submitted" / student / assignment), source)
        except OSError as exc:
            problems, notes = [f"the submission could not be read: {exc}"], []
        result.reasons = problems + notes if result.success else problems
        failures += not result.success
        results.append(result)
        bar.set_postfix(student=student, failed=failures)
    return results
