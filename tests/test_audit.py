"""``autograder audit``: every known wrong implementation loses points on its own test cells and only
there, and every correct variant keeps full marks, graded by the real engine; the audit itself flags
survivors, misses, too-broad and too-strict tests."""

from __future__ import annotations

import pytest

from autograder.audit import MutantVerdict, audit_assignment, format_audit
from autograder.course import REPO_ROOT
from autograder.course import CourseError
from autograder.audit.mutants import Mutant, MutantError, load_mutant
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


@pytest.mark.parametrize("lost, verdict", [([], "kept"), (["t1"], "TOO STRICT")])
def test_correct_variant_verdicts(lost, verdict):
    variant = Mutant("x", "v", "", "cell", (("a", "b"),), frozenset(), correct=True)
    assert MutantVerdict(variant, lost=lost).verdict == verdict
    assert variant.student_id == "variant-v"


def _write(folder, name, old, new, loses=None):
    folder.mkdir(parents=True, exist_ok=True)
    text = f'"""{name}"""\nCELL = "answer_a"\nREPLACE = [({old!r}, {new!r})]\n'
    (folder / f"{name}.py").write_text(text + (f"LOSES = {loses!r}\n" if loses is not None else ""))
    return folder / f"{name}.py"


def test_a_mutant_must_lose_and_a_variant_must_not(tmp_path):
    with pytest.raises(MutantError, match="correct variant"):
        load_mutant(_write(tmp_path, "keeps", "a", "b", []), TINY)
    with pytest.raises(MutantError, match="loses nothing"):
        load_mutant(_write(tmp_path, "loses", "a", "b", ["test_a"]), TINY, correct=True)
    assert load_mutant(_write(tmp_path, "fine", "a", "b"), TINY, correct=True).loses == frozenset()


@pytest.mark.slow
def test_audit_flags_survivors_misses_and_too_broad_tests(tmp_path):
    course = tiny_course(tmp_path)
    mutants = tmp_path / "mutants"
    _write(mutants / TINY, "killed", "a = 1", "a = 2", ["test_a"])
    _write(mutants / TINY, "survives", "a = 1", "a = 1  # same value", ["test_a"])
    spoil_b = "\nget_ipython().events.register('post_run_cell', lambda *_: get_ipython().user_ns.update(b=3))"
    _write(mutants / TINY, "too_broad", "a = 1", "a = 0" + spoil_b, ["test_a"])  # loses test_a and test_b
    _write(mutants / TINY, "misses", "a = 1", "a = 1" + spoil_b, ["test_a"])  # loses test_b only
    variants = tmp_path / "variants"
    _write(variants / TINY, "same_value", "a = 1", "a = 2 - 1")
    _write(variants / TINY, "strict", "a = 1", "a = 1" + spoil_b)  # correct a, but test_b loses: too strict
    result = audit_assignment(TINY, root=course, mutants_dir=mutants, variants_dir=variants, workers=2,
                              progress=False)
    verdicts = {v.mutant.name: v.verdict for v in result.verdicts}
    assert verdicts == {"killed": "killed", "survives": "SURVIVED", "too_broad": "TOO BROAD", "misses": "MISSED"}
    assert {v.mutant.name: v.verdict for v in result.controls} == {"same_value": "kept", "strict": "TOO STRICT"}
    assert not result.ok and result.solution_lost == []
    table = format_audit(result)
    assert "1 of 4 killed" in table and "solution: full points" in table
    assert "1 of 2 correct variants kept full marks" in table and "TOO STRICT" in table

    only = audit_assignment(TINY, root=course, mutants_dir=mutants, variants_dir=variants, workers=2,
                            progress=False, only={"killed", "same_value"})
    assert [v.mutant.name for v in only.verdicts + only.controls] == ["killed", "same_value"] and only.ok
    with pytest.raises(CourseError, match="no mutant or correct variant named nope"):
        audit_assignment(TINY, root=course, mutants_dir=mutants, variants_dir=variants, only={"nope"})


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
    assert len(result.controls) >= 5, f"{assignment} needs at least 5 correct variants"
    assert result.ok, table
