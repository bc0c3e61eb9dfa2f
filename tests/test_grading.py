"""Autograding through nbgrader's own sequential path: the solution earns everything, the untouched
release nothing. (The wrong implementations are graded on the engine by test_audit.py.)"""

from __future__ import annotations

import pytest

from autograder.samples import read_generated
from conftest import ASSIGNMENTS, scores_by_cell

pytestmark = pytest.mark.slow

@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_solution_earns_full_autograded_points(assignment, grade_notebook):
    result = grade_notebook(assignment, "solution", read_generated("solutions", assignment))
    assert result.success, result.error
    cells = scores_by_cell(result)
    assert cells, "no autograded cells were recorded"
    lost = {cell: s for cell, s in cells.items() if s[0] != s[1]}
    assert not lost, f"the solution lost points on {lost}"
    assert result.auto_max == 100


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_untouched_release_earns_nothing(assignment, grade_notebook):
    result = grade_notebook(assignment, "untouched", read_generated("release", assignment))
    assert result.success, f"grading the untouched release crashed: {result.error}"
    cells = scores_by_cell(result)
    assert cells and result.auto_max == 100
    earned = {cell: s for cell, s in cells.items() if s[0] != 0}
    assert not earned, f"the untouched student version earned points on {earned}"
