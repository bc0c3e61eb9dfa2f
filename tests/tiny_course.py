"""A tiny synthetic nbgrader assignment for fast tests of grading machinery.

Two answer cells and two one-point test cells: ``a = 1`` / ``assert a == 1`` and ``b = 2`` /
``assert b == 2``. `tiny_course` builds a course directory with it released.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from autograder.course import new_course_dir
from autograder.generate import generate
from autograder.samples import write_submission

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


def tiny_submission(course: Path, student: str, answer_a: str = "a = 1", answer_b: str = "b = 2") -> None:
    nb = nbformat.read(course / "release" / TINY / f"{TINY}.ipynb", as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid == "answer_a":
            cell.source = answer_a
        elif gid == "answer_b":
            cell.source = answer_b
    write_submission(course, student, TINY, nb, name=f"{TINY}.ipynb")


def tiny_course(root: Path) -> Path:
    """A course directory under ``root`` with the tiny assignment generated and in its gradebook."""
    course = new_course_dir(Path(root) / "course", [])
    (course / "source" / TINY).mkdir(parents=True)
    nbformat.write(tiny_source(), str(course / "source" / TINY / f"{TINY}.ipynb"))
    generate(TINY, source_root=course, out_root=course, gradebook=course / "gradebook.db")
    return course
