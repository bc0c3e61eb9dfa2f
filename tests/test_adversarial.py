"""The exploit corpus (``tests/adversarial/``): every cheating attempt, graded by the real engine in one
batch with honest controls, earns nothing it did not earn honestly, and the batch is graded exactly."""

from __future__ import annotations

import hashlib
from dataclasses import replace

import pytest

from adversarial_course import ADV, ANSWER, adv_course, adv_submission, load_exploits
from autograder.engine.coordinator import grade_parallel
from autograder.engine.jobs import Limits

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("engine")]

EXPLOITS = load_exploits()
#: One batch for the whole corpus: the infinite loop needs the cell timeout, the memory bomb the cap.
LIMITS = Limits(timeout=20, notebook_timeout=180, memory_mb=2048, output_mb=10)


def test_the_corpus_covers_the_listed_tricks():
    names = {e.name for e in EXPLOITS}
    assert len(EXPLOITS) >= 20
    for required in ("lying_eq", "ndarray_subclass", "patch_numpy", "patch_checks", "patch_builtins", "sys_exit",
                     "os_exit", "kill_parent", "infinite_loop", "memory_bomb", "fork_bomb", "print_flood",
                     "read_hidden_tests", "write_outside", "network"):
        assert required in names


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = adv_course(tmp_path_factory.mktemp("adversarial"))
    for name in ("honest", "honest-too"):
        adv_submission(course, name, ANSWER)
    adv_submission(course, "wrong", "import numpy as np\ndef double(x):\n    return 3.0 * np.asarray(x, dtype=float)")
    for exploit in EXPLOITS:
        adv_submission(course, exploit.name.replace("_", "-"), exploit.source)
    protected = {p: hashlib.sha256(p.read_bytes()).hexdigest()
                 for p in [course / "gradebook.db", *sorted((course / "source").rglob("*.ipynb"))]}
    results = grade_parallel(course, ADV, workers=2, limits=LIMITS, progress=False)
    return course, {r.student: r for r in results}, protected


def _scores(result):
    return {c.grade_id: c.score for c in result.cells if c.autograded}


def test_controls_are_graded_exactly(graded):
    _, results, _ = graded
    assert _scores(results["honest"]) == {"test_double": 2, "test_b": 1}
    assert _scores(results["honest-too"]) == {"test_double": 2, "test_b": 1}
    assert _scores(results["wrong"]) == {"test_double": 0, "test_b": 1}


@pytest.mark.parametrize("exploit", EXPLOITS, ids=lambda e: e.name)
def test_exploit_earns_nothing(exploit, graded):
    _, results, _ = graded
    result = results[exploit.name.replace("_", "-")]
    assert result.status in ("graded", "limit", "failed"), f"{exploit.name}: {result.status} {result.reasons}"
    assert _scores(result) == exploit.expect, f"{exploit.name} ({exploit.description}): {result.reasons}"
    if exploit.reason:
        assert any(exploit.reason.lower() in r.lower() for r in result.reasons), result.reasons


IN_KERNEL = [e for e in EXPLOITS if e.fools_in_kernel]


@pytest.fixture(scope="module")
def graded_in_kernel(tmp_path_factory):
    course = adv_course(tmp_path_factory.mktemp("adversarial-in-kernel"))
    adv_submission(course, "honest", ANSWER)
    for exploit in IN_KERNEL:
        adv_submission(course, exploit.name.replace("_", "-"), exploit.source)
    results = grade_parallel(course, ADV, workers=2, limits=replace(LIMITS, judge=False), progress=False)
    return {r.student: r for r in results}


def test_the_corpus_has_tricks_only_the_judge_stops():
    assert len(IN_KERNEL) >= 5


@pytest.mark.parametrize("exploit", IN_KERNEL, ids=lambda e: e.name)
def test_trick_fools_tests_that_run_in_the_kernel(exploit, graded_in_kernel):
    """The same trick, with the tests in the student's kernel (guard on), steals the points: it is real."""
    assert _scores(graded_in_kernel["honest"]) == {"test_double": 2, "test_b": 1}
    result = graded_in_kernel[exploit.name.replace("_", "-")]
    assert _scores(result)["test_double"] == 2, f"{exploit.name}: {result.reasons}"


def test_student_code_changed_nothing_in_the_course(graded):
    course, _, protected = graded
    for path, digest in protected.items():
        if path.name == "gradebook.db":
            continue  # the coordinator writes it; its scores are checked above
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest, f"{path} was modified"
    assert b"owned" not in (course / "gradebook.db").read_bytes()
