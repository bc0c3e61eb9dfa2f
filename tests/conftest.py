"""Shared fixtures: the repository root and a helper that autogrades one notebook in a scratch course."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from autograder.course import REPO_ROOT, list_assignments, new_course_dir
from autograder.generate import generate
from autograder.grading import grade

ASSIGNMENTS = list_assignments(REPO_ROOT)
SHARED_MNIST = REPO_ROOT.parent / "shared" / "data" / "mnist"


def pytest_configure(config):
    # Notebooks read MNIST from the offline copy beside the checkout when MNIST_DIR is not set.
    if "MNIST_DIR" not in os.environ and SHARED_MNIST.is_dir():
        os.environ["MNIST_DIR"] = str(SHARED_MNIST)


@pytest.fixture
def grade_notebook(tmp_path):
    """Autograde one notebook as the submission of one student; return that student's SubmissionResult."""

    def _grade(assignment: str, student: str, nb) -> object:
        from autograder.samples import write_submission

        course = new_course_dir(tmp_path / "course", [assignment])
        generate(assignment, source_root=course, out_root=course, gradebook=course / "gradebook.db")
        write_submission(course, student, assignment, nb)
        (result,) = grade(course, assignment, students=[student], progress=False)
        return result

    return _grade


def scores_by_cell(result) -> dict[str, tuple[float, float]]:
    """``grade_id -> (score, max_score)`` of the autograded cells of a result."""
    return {c.grade_id: (c.score, c.max_score) for c in result.cells if c.autograded}
