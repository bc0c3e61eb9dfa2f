"""Several assignments in one run (``autograder grade A B``): one cluster and one queue, and the same
gradebook as grading each assignment on its own."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from autograder.cli import main
from autograder.course import new_course_dir
from autograder.course.config import CourseError
from autograder.course.release import generate
from autograder.engine.coordinator import grade_assignments, grade_parallel, longest_first, open_client
from autograder.engine.jobs import Limits
from autograder.engine.ledger import Ledger, grade_log
from autograder.audit.samples import sample_submissions, write_submission
from tiny_course import TINY, tiny_source, tiny_submission

pytestmark = pytest.mark.xdist_group("engine")

A4 = "a4_losses_and_stability"


def two_assignment_course(root: Path) -> Path:
    """A course with a4 and the tiny assignment released, two submissions of each."""
    course = new_course_dir(root / "course", [A4])
    generate(A4, source_root=course, out_root=course, gradebook=course / "gradebook.db")
    (course / "source" / TINY).mkdir(parents=True)
    nbformat.write(tiny_source(), str(course / "source" / TINY / f"{TINY}.ipynb"))
    generate(TINY, source_root=course, out_root=course, gradebook=course / "gradebook.db")
    subs = sample_submissions(A4, root=course)
    mutant = sorted(s for s in subs if s.startswith("mutant-"))[0]
    for student in ("solution", mutant):
        write_submission(course, student, A4, subs[student])
    tiny_submission(course, "amy")
    tiny_submission(course, "bob", answer_b="b = 3")
    return course


def scores(results) -> dict:
    return {(r.assignment, r.student): {c.grade_id: c.score for c in r.cells} for r in results}


def test_longest_first_puts_unknown_then_slowest_assignments_first():
    a, b, c, d = (SimpleNamespace(name=n, per_job_s=t) for n, t in (("a", 2.0), ("b", None), ("c", 9.0), ("d", None)))
    assert [x.name for x in longest_first([a, b, c, d])] == ["b", "d", "c", "a"]


def test_bad_input_is_refused_before_anything_is_graded(tmp_path):
    course = two_assignment_course(tmp_path)
    with pytest.raises(CourseError, match="no source/nope"):
        grade_assignments(course, [TINY, "nope"], progress=False)
    with pytest.raises(CourseError, match=f"no limits given for {A4}"):
        grade_assignments(course, [TINY, A4], limits={TINY: Limits()}, progress=False)
    shutil.rmtree(course / "submitted" / "amy")
    shutil.rmtree(course / "submitted" / "bob")
    with pytest.raises(CourseError, match=f"no submissions of {TINY}"):
        grade_assignments(course, [A4, TINY], progress=False)
    assert Ledger(course).records() == []


@pytest.mark.slow
def test_one_run_grades_both_assignments_as_separate_runs_do(tmp_path, capsys):
    together = two_assignment_course(tmp_path / "together")
    apart = tmp_path / "apart"
    shutil.copytree(together, apart)

    with open_client(workers=2) as client:
        separate = [r for a in (A4, TINY) for r in grade_parallel(apart, a, client=client, progress=False)]
    assert main(["grade", TINY, A4, "--course-dir", str(together), "--workers", "2", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert TINY in out and A4 in out  # a table for each

    records = Ledger(together).records()
    assert sorted((r["assignment"], r["student"]) for r in records) == sorted(scores(separate))
    assert len({r["run"] for r in records}) == 1  # one run
    assert {(r["assignment"], r["student"]): {k: v[0] for k, v in r["scores"].items()} for r in records} == \
        {k: v for k, v in scores(separate).items()}
    assert scores(separate)[(TINY, "bob")] == {"test_a": 1, "test_b": 0}
    logged = {(r["assignment"], r["student"]) for r in grade_log(together).records()}
    assert logged == set(scores(separate))

    # nothing changed: all skipped, in one order or the other
    assert main(["grade", A4, TINY, "--course-dir", str(together), "--workers", "1", "--quiet"]) == 0
    assert len(Ledger(together).records()) == len(records)
