"""A fault costs the cells it touched: a test whose call kills the kernel or hangs fails, the kernel is
restarted and the student's cells are run again, at most twice per notebook; the judge's output is the
student's print output plus one error, never a test line."""

from __future__ import annotations

import nbformat
import pytest

from autograder.engine.coordinator import grade_parallel
from autograder.engine.ledger import grade_log
from autograder.engine.jobs import Limits
from tiny_course import _cell, course_with, submit_answers

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("engine")]

ANSWER = """import os, sys, time
def die():
    os._exit(1)
def hang():
    while True:
        time.sleep(0.01)
def chatty(x):
    print("working on", x)
    print("warning: slow", file=sys.stderr)
    return x
b = 2"""


def _faults_source(tests):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = [_cell("code", "answer", "### BEGIN SOLUTION\n" + ANSWER + "\n### END SOLUTION", solution=True)]
    nb.cells += [_cell("code", name, source, points=1) for name, source in tests]
    return nb


def _grade(tmp_path, tests, limits=Limits(timeout=5)):
    course = course_with(tmp_path, "faults", _faults_source(tests))
    submit_answers(course, "faults", "student", {"answer": ANSWER})
    (result,) = grade_parallel(course, "faults", workers=1, limits=limits, progress=False)
    return course, result, {c.grade_id: c.score for c in result.cells if c.autograded}


def test_two_faults_are_restarted_and_later_cells_graded(tmp_path):
    course, result, scores = _grade(tmp_path, [("t_die", "die()"), ("t_hang", "hang()"),
                                          ("t_b", "### BEGIN HIDDEN TESTS\nassert b == 2\n### END HIDDEN TESTS")])
    assert scores == {"t_die": 0, "t_hang": 0, "t_b": 1}, result.reasons
    text = " ".join(result.reasons)
    assert "kernel died" in text and "t_die" in text and "timeout" in text and "t_hang" in text
    (record,) = [r for r in grade_log(course).records() if r.get("notebook") == "faults"]
    figures = record["judge"]   # the judge's figures reach the grade log
    assert figures["judge"] is True and figures["requests"] >= 2 and len(figures["restarts"]) == 2, figures


def test_a_third_fault_fails_the_rest(tmp_path):
    _, result, scores = _grade(tmp_path, [("t1", "die()"), ("t2", "die()"), ("t3", "die()"), ("t_b", "assert b == 2")])
    assert scores == {"t1": 0, "t2": 0, "t3": 0, "t_b": 0}, result.reasons


def test_student_output_is_kept_and_costs_nothing(tmp_path):
    course, result, scores = _grade(tmp_path, [("t_chatty", "### BEGIN HIDDEN TESTS\nassert chatty(3) == 3\n"
                                                            "### END HIDDEN TESTS"),
                                               ("t_fail", "### BEGIN HIDDEN TESTS\n_secret = 41\n"
                                                          "assert chatty(1) == _secret, 'chatty is wrong'\n"
                                                          "### END HIDDEN TESTS")])
    assert scores == {"t_chatty": 1, "t_fail": 0}
    nb = nbformat.read(course / "autograded" / "student" / "faults" / "faults.ipynb", as_version=4)
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells}
    text = "".join(o.get("text", "") for o in cells["t_chatty"].outputs)
    assert "working on 3" in text and "warning: slow" in text
    assert all(o.get("name") != "stderr" for c in nb.cells for o in c.get("outputs", []))
    (error,) = [o for o in cells["t_fail"].outputs if o.output_type == "error"]
    assert error.ename == "AssertionError" and error.evalue == "chatty is wrong"
    assert "_secret" not in str(error) and "41" not in str(error)
