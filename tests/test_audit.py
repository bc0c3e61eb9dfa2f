"""``autograder audit``: every known wrong implementation loses points on its own test cells and only
there, graded by the real engine; the audit itself flags survivors, misses and too-broad tests."""

from __future__ import annotations

import pytest

from autograder.audit import MutantVerdict, audit_assignment, format_audit
from autograder.course import REPO_ROOT
from autograder.mutants import Mutant
from conftest import ASSIGNMENTS
from tiny_course import TINY, tiny_course

#: The audit tables land here; ``.ci/run`` prints them into CI's log.
AUDIT_DIR = REPO_ROOT / "build" / "audit"


def _mutant(loses, may_lose=()):
    return Mutant("x", "m", "", "cell", (("a", "b"),), frozenset(loses), frozenset(may_lose))


@pytest.mark.parametrize("lost, verdict", [
    ([], "SURVIVED"), (["t1"], "killed"), (["t1", "t2"], "killed"), (["t2"], "MISSED"),
    (["t1", "t3"], "TOO BROAD"),
])
def test_verdicts(lost, verdict):
    assert MutantVerdict(_mutant({"t1"}, {"t2"}), lost=lost).verdict == verdict


def _write(folder, name, old, new, loses):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.py").write_text(f'"""{name}"""\nCELL = "answer_a"\nREPLACE = [({old!r}, {new!r})]\n'
                                       f"LOSES = {loses!r}\n")


@pytest.mark.slow
def test_audit_flags_survivors_misses_and_too_broad_tests(tmp_path):
    course = tiny_course(tmp_path)
    mutants = tmp_path / "mutants"
    _write(mutants / TINY, "killed", "a = 1", "a = 2", ["test_a"])
    _write(mutants / TINY, "survives", "a = 1", "a = 1  # same value", ["test_a"])
    spoil_b = "\nget_ipython().events.register('post_run_cell', lambda *_: get_ipython().user_ns.update(b=3))"
    _write(mutants / TINY, "too_broad", "a = 1", "a = 0" + spoil_b, ["test_a"])  # loses test_a and test_b
    _write(mutants / TINY, "misses", "a = 1", "a = 1" + spoil_b, ["test_a"])  # loses test_b only
    result = audit_assignment(TINY, root=course, mutants_dir=mutants, workers=2, progress=False)
    verdicts = {v.mutant.name: v.verdict for v in result.verdicts}
    assert verdicts == {"killed": "killed", "survives": "SURVIVED", "too_broad": "TOO BROAD", "misses": "MISSED"}
    assert not result.ok and result.solution_lost == []
    table = format_audit(result)
    assert "1 of 4 killed" in table and "solution: full points" in table


@pytest.fixture(scope="module")
def audit_client():
    from autograder.engine.coordinator import open_client

    with open_client(workers=2) as client:
        yield client


@pytest.mark.slow
@pytest.mark.xdist_group("audit")
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_audit_kills_every_mutant_on_its_own_cells(assignment, audit_client):
    result = audit_assignment(assignment, client=audit_client, progress=False)
    table = format_audit(result)
    AUDIT_DIR.mkdir(parents=True, exist_ok=True)
    (AUDIT_DIR / f"{assignment}.txt").write_text(table + "\n", encoding="utf-8")
    print(table)
    assert len(result.verdicts) >= 12, f"{assignment} needs at least 12 mutants"
    assert result.ok, table
