"""Planning a run: which submissions of an assignment need grading, and which the ledger says are done.

A submission is skipped only when its latest ledger line has the same content key (the submission,
the source, the configuration and the grading fingerprint), the gradebook still holds it, and its
``autograded/`` folder is there (or it was recorded as failed); ``force`` grades everything.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from .jobs import config_file, content_key, read_tree
from .importer import FAILED
from .ledger import Ledger


def _graded_students(course_dir: Path, assignment: str) -> set[str]:
    from nbgrader.api import Gradebook, MissingEntry

    from ..course.config import make_api

    api = make_api(course_dir)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            return {s.student.id for s in gb.find_assignment(assignment).submissions}
        except MissingEntry:
            return set()


def plan(course_dir: Path, assignment: str, students: list[str], force: bool, grading: str = ""):
    """Content keys of the submissions, and which of them need grading.

    Parameters
    ----------
    grading : str
        The run's `grading_fingerprint`: a submission graded under another one is graded again.

    Returns
    -------
    shared_parts : (bytes, dict)
        nbgrader_config.py and the assignment's source files.
    todo : list of str
        Students whose submissions need grading.
    skipped : dict
        ``student -> latest ledger record`` of the submissions graded before with the same content.
    per_job_s : float or None
        Median worker seconds per submission in the ledger (None: nothing of this assignment recorded).
    """
    config = config_file(course_dir).read_bytes()
    source = read_tree(course_dir / "source" / assignment)
    latest = Ledger(course_dir).latest(assignment)
    in_gradebook = _graded_students(course_dir, assignment) if not force else set()
    todo, skipped = [], {}
    for student in students:
        done = latest.get(student)
        try:
            same = (not force and done and student in in_gradebook
                    and done.get("key") == content_key(config, source, read_tree(course_dir / "submitted" / student / assignment),
                                                   grading)
                    and (done.get("status") == FAILED or (course_dir / "autograded" / student / assignment).is_dir()))
        except OSError:  # unreadable now: the run reports it
            same = False
        if same:
            skipped[student] = done
        else:
            todo.append(student)
    spent = [r["finished_at"] - r["started_at"] for r in latest.values()
             if isinstance(r.get("started_at"), (int, float)) and isinstance(r.get("finished_at"), (int, float))]
    return (config, source), todo, skipped, statistics.median(spent) if spent else None


def notebooks_of(source: dict[str, bytes]) -> list[str]:
    """The names (no suffix) of an assignment's notebooks, from its source files."""
    return sorted(Path(rel).stem for rel in source if rel.endswith(".ipynb") and "/" not in rel)
