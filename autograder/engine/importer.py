"""The coordinator side: write a worker's result into the course, with nbgrader's own code.

Only the coordinator writes the course directory. For a result whose notebooks ran, the worker has
already run nbgrader's whole Autograde; here `RecordAutograded` does what nbgrader would still do in
the course (student, submission and timestamp, the gradebook's scores and comments, ``autograded/``),
once, on the notebooks the worker's Autograde wrote. When nbgrader could not autograde the submission at
all, the submission is recorded with 0 on its autograded cells.
"""

from __future__ import annotations

import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .jobs import JobResult
from .autograde import autograde_with
from .record import RecordAutograded
from ..course.gradebook import CellScore, read_scores
from ..course.gradebook_engines import share_engines

#: Statuses of a submission in one run.
GRADED, LIMIT, FAILED, ERROR, SKIPPED = "graded", "limit", "failed", "error", "skipped"


@dataclass
class Imported:
    """What importing one result did to the course."""

    status: str                       #: graded, limit, failed (recorded with 0) or error (nothing recorded)
    reasons: list[str] = field(default_factory=list)
    scoring_s: float = 0.0            #: seconds the import took (in the process that did it)
    recorded: bool = False            #: the gradebook now holds this result (the ledger may list it)
    cells: list[CellScore] = field(default_factory=list)  #: the submission's scores, read back once recorded


def record_zero(course_dir: Path, assignment: str, student: str) -> None:
    """Record a submission nbgrader could not autograde: 0 on every autograded cell.

    Manually graded cells keep needing a manual grade; ``autograded/<student>/<assignment>`` is
    removed, as nbgrader removes the notebooks of a failed autograde.

    Parameters
    ----------
    course_dir : Path
    assignment, student : str
    """
    from nbgrader.api import Gradebook
    from nbgrader.coursedir import CourseDirectory

    from ..course.config import load_config

    coursedir = CourseDirectory(config=load_config(course_dir))
    timestamp = coursedir.get_existing_timestamp(
        coursedir.format_path(coursedir.submitted_directory, student, assignment))
    with Gradebook(coursedir.db_url, coursedir.course_id) as gb:
        gb.update_or_create_student(student)
        kwargs = {"timestamp": timestamp} if timestamp else {}
        submission = gb.update_or_create_submission(assignment, student, **kwargs)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.cell.cell_type == "code":
                    grade.auto_score = 0
                    grade.needs_manual_grade = grade.manual_score is not None
                else:
                    grade.auto_score = None
                    grade.needs_manual_grade = True
        gb.db.commit()
    dest = Path(coursedir.format_path(coursedir.autograded_directory, student, assignment))
    if dest.exists():
        shutil.rmtree(dest)


def import_result(course_dir: Path, assignment: str, result: JobResult) -> Imported:
    """Write one worker result into the course's gradebook and ``autograded/``, and read its scores back.

    Parameters
    ----------
    course_dir : Path
    assignment : str
    result : JobResult

    Returns
    -------
    imported : Imported
        ``scoring_s`` is the whole import, the read-back included.
    """
    share_engines()  # the course gradebook's SQL, compiled once per process (here or an import process)
    start = time.perf_counter()
    imported = _import(course_dir, assignment, result)
    imported.scoring_s = time.perf_counter() - start
    return imported


def _import(course_dir: Path, assignment: str, result: JobResult) -> Imported:
    from traitlets.config import Config

    if result.infra_error:  # e.g. a memory cap too small for the kernel: retried on the next run
        return Imported(ERROR, [f"not graded, nothing recorded: {result.infra_error}"])
    if not result.ok or not result.notebooks:
        why = result.problems or ["nbgrader could not autograde this submission: " + _last_error_line(result.error)]
        record_zero(course_dir, assignment, result.student)
        return Imported(FAILED, [f"recorded with 0: {w}" for w in why] + result.reasons, recorded=True,
                        cells=read_scores(course_dir, assignment, result.student))

    cfg = Config()
    cfg.RecordAutograded.autograded = {name: run.autograded for name, run in result.notebooks.items() if run.autograded}
    outcome = autograde_with(course_dir, assignment, result.student, None, cfg, converter=RecordAutograded)
    if not outcome["success"]:
        text = (outcome.get("log") or "") + (outcome.get("error") or "")
        return Imported(ERROR, ["importing the worker's result failed (nothing recorded): "
                                + _last_error_line(text, prefer="came back from the worker")])
    cells = read_scores(course_dir, assignment, result.student)
    # problems nbgrader graded anyway (the explanation was wrong) stay visible as notes
    return Imported(LIMIT if result.reasons else GRADED, list(result.reasons) + result.problems + result.notes,
                    recorded=True, cells=cells)


def _last_error_line(text: str, prefer: str = "") -> str:
    """The most telling line of an nbgrader log and traceback: the last ``SomeError: message``."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if prefer:
        for line in reversed(lines):
            if prefer in line:
                return line
    for line in reversed(lines):
        if _EXC_LINE.match(line) and "NbGraderException" not in line:
            return line
    return lines[-1] if lines else "no message"


_EXC_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception|Exit|Interrupt)\b:?")
