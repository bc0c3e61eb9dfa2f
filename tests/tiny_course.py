"""A tiny synthetic nbgrader assignment for fast tests of grading machinery.

Two answer cells and two one-point test cells: ``a = 1`` / ``assert a == 1`` and ``b = 2`` /
``assert b == 2``. `tiny_course` builds a course directory with it released.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.course import new_course_dir
from autograder.course.release import generate
from autograder.audit.samples import write_submission

TINY = "tiny"


def _cell(kind, grade_id, source, *, solution=False, points=None):
    meta = {"grade": points is not None, "grade_id": grade_id, "locked": not solution, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    make = nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell
    return make(source, metadata={"nbgrader": meta})


def tiny_source() -> nbformat.NotebookNode:
    """Two answers and two one-point tests: ``a = 1`` / ``assert a == 1`` and ``b = 2`` / ``assert b == 2``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = [
        _cell("markdown", "intro", "# Tiny assignment"),
        _cell("code", "answer_a", "### BEGIN SOLUTION\na = 1\n### END SOLUTION", solution=True),
        _cell("code", "test_a", "assert a == 1", points=1),
        _cell("code", "answer_b", "### BEGIN SOLUTION\nb = 2\n### END SOLUTION", solution=True),
        _cell("code", "test_b", "assert b == 2", points=1),
    ]
    return nb


def submit_answers(course: Path, assignment: str, student: str, answers: dict[str, str]) -> None:
    """The released notebook of a one-notebook assignment with answer cells replaced (``grade_id -> source``)."""
    nb = nbformat.read(course / "release" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    write_submission(course, student, assignment, nb, name=f"{assignment}.ipynb")


def course_with(root: Path, assignment: str, source: nbformat.NotebookNode) -> Path:
    """A course directory under ``root`` with one assignment (one notebook) generated and in its gradebook."""
    course = new_course_dir(Path(root) / "course", [])
    (course / "source" / assignment).mkdir(parents=True)
    nbformat.write(source, str(course / "source" / assignment / f"{assignment}.ipynb"))
    generate(assignment, source_root=course, out_root=course, gradebook=course / "gradebook.db")
    return course


def tiny_submission(course: Path, student: str, answer_a: str = "a = 1", answer_b: str = "b = 2") -> None:
    submit_answers(course, TINY, student, {"answer_a": answer_a, "answer_b": answer_b})


def tiny_course(root: Path) -> Path:
    """A course directory under ``root`` with the tiny assignment generated and in its gradebook."""
    return course_with(root, TINY, tiny_source())
