"""Autograding the sample submissions: the solution earns everything, the untouched release nothing,
and every known wrong implementation loses points exactly on the test cells of its concept."""

from __future__ import annotations

import pytest

from autograder.mutants import load_mutants
from autograder.samples import read_generated
from conftest import ASSIGNMENTS, scores_by_cell

pytestmark = pytest.mark.slow

MUTANTS = [m for a in ASSIGNMENTS for m in load_mutants(a)]


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


@pytest.mark.parametrize("mutant", MUTANTS, ids=lambda m: f"{m.assignment}:{m.name}")
def test_mutant_loses_points_on_its_concept_only(mutant, grade_notebook):
    from autograder.mutants import apply_mutant

    nb = apply_mutant(mutant, read_generated("solutions", mutant.assignment))
    result = grade_notebook(mutant.assignment, mutant.student_id, nb)
    assert result.success, result.error
    cells = scores_by_cell(result)
    unknown = (mutant.loses | mutant.may_lose) - set(cells)
    assert not unknown, f"{mutant.path.name} names cells that do not exist: {sorted(unknown)}"
    survived = sorted(c for c in mutant.loses if cells[c][0] >= cells[c][1])
    assert not survived, f"{mutant.name} ({mutant.description}) kept full points on {survived}"
    too_broad = sorted(c for c, (score, top) in cells.items()
                       if score < top and c not in mutant.loses | mutant.may_lose)
    assert not too_broad, f"{mutant.name} also lost points on unrelated cells {too_broad}"
