"""The judge changes no grade that plain nbgrader gets right: the solution, the untouched release and a few
mutants of every assignment, graded by the engine (judge) and by ``nbgrader autograde``, cell by cell.
(``make equivalence`` does the same for every mutant of the corpus.)"""

from __future__ import annotations

import pytest

from autograder.judge.equivalence import compare
from conftest import ASSIGNMENTS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("engine")]

#: Mutants that exercise what the judge does differently: stand-ins and recorders (shuffling, early
#: stopping, lam passed on), arguments changed in place, stability under errstate, swapped globals.
MUTANTS = {
    "a1_linear_classifiers": ["mutant-labels-not-shuffled", "mutant-train-softmax-ignores-lam",
                              "mutant-sigmoid-overflow"],
    "a2_mlp_mnist": ["mutant-fit-shallow-copy-of-init-params", "mutant-relu-modifies-input-in-place"],
    "a3_mlp_moons": ["mutant-tanh-prime-of-preactivation", "mutant-update-params-ascends"],
    "a4_losses_and_stability": ["mutant-softmax-no-max-shift", "mutant-bce-no-clipping"],
}


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_judge_grades_equal_plain_nbgrader(assignment):
    result = compare(assignment, ["solution", "untouched", *MUTANTS[assignment]])
    print(result.table())
    assert set(result.judge) == {"solution", "untouched", *MUTANTS[assignment]}
    assert not result.differences(), result.table()
    assert sum(result.judge["solution"].values()) == 100, result.table()
    assert sum(result.judge["untouched"].values()) == 0, result.table()
    for mutant in MUTANTS[assignment]:
        assert sum(result.judge[mutant].values()) < 100, f"{mutant} kept full marks"
