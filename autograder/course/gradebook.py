"""The course gradebook as the rest of the package reads it: submissions, scores, registration.

Both engines (sequential `autograder.lifecycle.grading` and parallel `autograder.engine`), the export and the
report read scores the same way; kept here, below both engines, so that neither imports the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .config import make_api
from .release import generate


@dataclass
class CellScore:
    """Score of one graded cell of a submission."""

    grade_id: str
    score: float
    max_score: float
    autograded: bool
    #: What the autograder gave the cell (nbgrader's ``auto_score``; None for a manually graded answer)
    #: before any manual grade; ``score`` is the grade that counts.
    auto_score: float | None = None


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

    The one reader of a submission's scores: the engines (the worker's scratch course and the course
    itself), the export, the report and Gradescope all read them here.

    Parameters
    ----------
    course_dir : Path
    assignment : str
    student : str

    Returns
    -------
    cells : list of CellScore
        In notebook order; markdown answers (manually graded) have ``autograded=False``; empty when the
        gradebook has no such submission.
    """
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.coursedir import CourseDirectory

    from .config import load_config

    coursedir = CourseDirectory(config=load_config(course_dir))  # what NbGraderAPI would build, without its apps
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return []
        cells = []
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                autograded = grade.cell.cell_type == "code"
                score = grade.score if grade.score is not None else 0.0
                auto = None if grade.auto_score is None else float(grade.auto_score)
                cells.append(CellScore(grade.name, float(score), float(grade.max_score), autograded, auto))
        return cells
