"""Sequential autograding with nbgrader, and reading scores back from its gradebook.

This is the sequential engine (``autograder grade --sequential``): one ``nbgrader autograde`` per
submission through ``NbGraderAPI``, with a progress bar. The default engine, parallel on Dask and
resumable, is ``autograder.engine`` (``grade_parallel``); it writes the same gradebook. nbgrader
restores the test cells (hidden tests included) from the gradebook before running a submission, so
students cannot change what the tests check by editing them.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from .course import CourseError, make_api
from .engine.jobs import read_tree
from .engine.worker import explain
from .generate import generate


@dataclass
class CellScore:
    """Score of one graded cell of a submission."""

    grade_id: str
    score: float
    max_score: float
    autograded: bool


@dataclass
class SubmissionResult:
    """Outcome of grading one student's submission of one assignment."""

    student: str
    assignment: str
    success: bool
    seconds: float = 0.0
    error: str = ""
    cells: list[CellScore] = field(default_factory=list)
    #: graded, limit (graded; a limit gave some cells 0), failed (recorded with 0), error (not recorded)
    #: or skipped (already graded with the same content); see ``autograder.engine``.
    status: str = ""
    reasons: list[str] = field(default_factory=list)

    @property
    def auto_score(self) -> float:
        """Points earned on autograded cells."""
        return sum(c.score for c in self.cells if c.autograded)

    @property
    def auto_max(self) -> float:
        """Points available on autograded cells."""
        return sum(c.max_score for c in self.cells if c.autograded)


def find_submissions(course_dir: Path, assignment: str) -> list[str]:
    """Students who have a submission of an assignment.

    Parameters
    ----------
    course_dir : Path
    assignment : str

    Returns
    -------
    students : list of str
        Sorted ids ``s`` with a directory ``submitted/<s>/<assignment>/``.
    """
    submitted = Path(course_dir) / "submitted"
    if not submitted.is_dir():
        return []
    return sorted(p.name for p in submitted.iterdir() if (p / assignment).is_dir())


def ensure_in_gradebook(course_dir: Path, assignment: str) -> None:
    """Register an assignment and its graded cells in the course gradebook if it is not there yet.

    Parameters
    ----------
    course_dir : Path
    assignment : str
    """
    from nbgrader.api import Gradebook, MissingEntry

    api = make_api(course_dir)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            gb.find_assignment(assignment)
            return
        except MissingEntry:
            pass
    generate(assignment, source_root=course_dir, out_root=course_dir,
             gradebook=Path(course_dir) / "gradebook.db")


def read_scores(course_dir: Path, assignment: str, student: str) -> list[CellScore]:
    """Scores of every graded cell of one submission, from the gradebook.

    Parameters
    ----------
    course_dir : Path
    assignment : str
    student : str

    Returns
    -------
    cells : list of CellScore
        In notebook order; markdown answers (manually graded) have ``autograded=False``.
    """
    from nbgrader.api import Gradebook, MissingEntry

    api = make_api(course_dir)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return []
        cells = []
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                autograded = grade.cell.cell_type == "code"
                score = grade.score if grade.score is not None else 0.0
                cells.append(CellScore(grade.name, float(score), float(grade.max_score), autograded))
        return cells


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
