"""``autograder report``: HTML and CSV of a graded assignment, from a real graded tiny course."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pytest

from autograder.cli import main
from autograder.engine.coordinator import grade_parallel
from autograder.engine.jobs import Limits
from autograder.engine.ledger import LOG_NAME, STATE_DIR
from tiny_course import TINY, tiny_course, tiny_submission

# One xdist worker runs them all: they share one graded course.
pytestmark = pytest.mark.xdist_group("report")

EVIL = "<script>alert(1)<\\script>"  # a directory name: no "/"
EVIL_LATE = "<img src=x onerror=alert(2)>"
STUDENTS = {  # student -> (answer_a, answer_b, expected test_a, expected test_b)
    "ada": ("a = 1", "b = 2", 1, 1),
    "bob": ("a = 1", "b = 3", 1, 0),
    "cy": ("a = 0", "b = 2", 0, 1),
    "loop": ("while True:\n    pass", "b = 2", 0, 1),
    EVIL: ("a = 1", "b = 2", 1, 1),
}


@pytest.fixture(scope="module")
def released(tmp_path_factory) -> Path:
    """A tiny course, generated and in its gradebook, with no submission."""
    return tiny_course(tmp_path_factory.mktemp("released"))


@pytest.fixture(scope="module")
def graded(released, tmp_path_factory) -> Path:
    """A tiny course with five graded students (one past the cell timeout) and one submitted late."""
    course = copy_course(released, tmp_path_factory.mktemp("graded") / "course")
    for student, (a, b, _, _) in STUDENTS.items():
        tiny_submission(course, student, answer_a=a, answer_b=b)
    results = grade_parallel(course, TINY, workers=1, limits=Limits(timeout=2), progress=False)
    assert {r.student: r.status for r in results} == {s: "limit" if s == "loop" else "graded" for s in STUDENTS}
    tiny_submission(course, "late")  # submitted after grading: no grade yet
    tiny_submission(course, EVIL_LATE)
    return course


def copy_course(course: Path, dest: Path) -> Path:
    shutil.copytree(course, dest)
    return dest


def report(course: Path, out: Path, capsys) -> tuple[list[dict], str]:
    assert main(["report", TINY, "--course-dir", str(course), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out / "report.html") in printed and str(out / "report.csv") in printed
    with open(out / "report.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return rows, (out / "report.html").read_text(encoding="utf-8")


def pass_rates(page: str) -> dict[str, str]:
    """``cell -> pass rate`` from the per-cell table of the page."""
    return dict(re.findall(r"<tr><td>(test_\w+)</td><td>[^<]*</td><td>[^<]*</td><td>(\d+%)</td>", page))


@pytest.mark.slow
def test_report_csv_and_html(graded, tmp_path, capsys):
    rows, page = report(graded, tmp_path / "out", capsys)

    by = {r["student_id"]: r for r in rows}
    assert sorted(by) == sorted([*STUDENTS, "late", EVIL_LATE])
    for student, (_, _, a, b) in STUDENTS.items():
        row = by[student]
        assert (row["test_a"], row["test_b"], row["autograded_score"], row["autograded_max"]) == \
            (str(a), str(b), str(a + b), "2"), student
        assert row["status"] == ("limit" if student == "loop" else "graded")
    assert "cell timeout in cell 1 (answer_a)" in by["loop"]["problems"]
    assert by["ada"]["problems"] == ""
    assert by["late"]["status"] == "not graded" and by["late"]["autograded_score"] == ""
    assert "autograder grade tiny" in by["late"]["problems"]

    assert page.count("src='data:image/png;base64,") == 3  # totals, pass rates, time per notebook
    assert "<th>students graded</th><td>5</td>" in page
    assert "<th>mean autograded total</th><td>1.4 / 2</td>" in page
    assert pass_rates(page) == {"test_a": "60%", "test_b": "80%"}  # 3 of 5 and 4 of 5 with full points
    assert page.index(">test_a<") < page.index(">test_b<")
    problems = page[page.index("Students with a problem"):]
    assert "<td>loop</td><td>limit</td><td>1</td><td>tiny: cell timeout in cell 1 (answer_a)" in problems
    assert "<td>late</td><td>not graded</td>" in problems
    assert ">ada<" not in problems and ">bob<" not in problems
    assert "grade-log.jsonl" in page and "No grade log" not in page


@pytest.mark.slow
def test_student_strings_are_escaped(graded, tmp_path, capsys):
    rows, page = report(graded, tmp_path / "out", capsys)
    assert {EVIL, EVIL_LATE} <= {r["student_id"] for r in rows}  # the CSV keeps the ids as they are
    assert "<script" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;\\script&gt;" in page  # graded: in the timings table
    problems = page[page.index("Students with a problem"):]
    assert "<td>&lt;img src=x onerror=alert(2)&gt;</td><td>not graded</td>" in problems


@pytest.mark.slow
def test_report_without_grade_log_says_so(graded, tmp_path, capsys):
    course = copy_course(graded, tmp_path / "course")
    (course / STATE_DIR / LOG_NAME).unlink()  # as after `autograder grade --sequential`
    rows, page = report(course, tmp_path / "out", capsys)
    assert {r["student_id"]: r["autograded_score"] for r in rows}["bob"] == "1"
    assert page.count("src='data:image/png;base64,") == 2
    assert "No grade log" in page and "--sequential" in page
    assert pass_rates(page) == {"test_a": "60%", "test_b": "80%"}


@pytest.mark.slow
def test_default_output_dir_and_changed_submission(graded, tmp_path, capsys):
    course = copy_course(graded, tmp_path / "course")
    tiny_submission(course, "bob", answer_b="b = 2")  # fixed after grading: the grade is out of date
    assert main(["report", TINY, "--course-dir", str(course)]) == 0
    out = course / "reports" / TINY
    assert f"wrote {out / 'report.html'}" in capsys.readouterr().out
    rows = {r["student_id"]: r for r in csv.DictReader(open(out / "report.csv", encoding="utf-8"))}
    assert rows["bob"]["autograded_score"] == "1" and "changed after grading" in rows["bob"]["problems"]
    assert rows["ada"]["problems"] == ""


def test_report_before_grading_is_a_clear_error(released, tmp_path, capsys):
    course = copy_course(released, tmp_path / "course")
    tiny_submission(course, "ada")
    assert main(["report", TINY, "--course-dir", str(course), "-o", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "nothing of tiny is graded" in err and "run `autograder grade tiny` first" in err
    assert not (tmp_path / "out").exists()


def test_report_on_an_unknown_assignment_is_a_clear_error(tmp_path, capsys):
    (tmp_path / "source").mkdir()
    assert main(["report", "nope", "--course-dir", str(tmp_path)]) == 2
    assert "no assignment 'nope'" in capsys.readouterr().err
    assert not (tmp_path / "gradebook.db").exists() and not (tmp_path / "reports").exists()
