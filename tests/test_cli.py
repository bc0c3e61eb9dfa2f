"""The ``autograder`` command line: help, errors on bad input, and release/grade/export end to end."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest

from autograder.cli import main
from autograder.course import REPO_ROOT, new_course_dir
from autograder.lifecycle.export import format_table, write_csv
from autograder.course.gradebook import CellScore
from autograder.audit.mutants import Mutant, MutantError, apply_mutant, load_mutant
from autograder.audit.samples import read_generated, write_submission

COMMANDS = ["release", "grade", "export", "demo", "report", "collect", "validate", "feedback", "audit"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command, capsys):
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "example" in capsys.readouterr().out


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "autograder", "--help"], capture_output=True, text=True, check=True)
    assert "release" in out.stdout and "grade" in out.stdout


def test_unknown_assignment_is_a_clear_error(tmp_path, capsys):
    new_course_dir(tmp_path, ["a2_mlp_mnist"])
    assert main(["grade", "no_such_assignment", "--course-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "no source/no_such_assignment" in err


def test_grade_without_submissions_says_where_they_go(tmp_path, capsys):
    new_course_dir(tmp_path, ["a2_mlp_mnist"])
    assert main(["grade", "a2_mlp_mnist", "--course-dir", str(tmp_path)]) == 2
    assert "submitted/<student>/a2_mlp_mnist" in capsys.readouterr().err


def test_export_without_gradebook_is_a_clear_error(tmp_path, capsys):
    new_course_dir(tmp_path, ["a2_mlp_mnist"])
    assert main(["export", "--course-dir", str(tmp_path), "-o", str(tmp_path / "g.csv")]) == 2
    assert "run `autograder grade` first" in capsys.readouterr().err


def test_release_check_passes_on_the_repository(capsys):
    assert main(["release", "--all", "--check", "--course-dir", str(REPO_ROOT)]) == 0
    assert "up to date" in capsys.readouterr().out


def test_csv_and_table_from_scores(tmp_path):
    scores = {"a2": {
        "bob": [CellScore("test_a", 5, 5, True), CellScore("test_b", 0, 10, True), CellScore("written", 3, 10, False)],
        "amy": [CellScore("test_a", 2.5, 5, True), CellScore("test_b", 10, 10, True)],
    }}
    path = write_csv(scores, tmp_path / "out" / "grades.csv")
    rows = list(csv.DictReader(open(path)))
    assert [r["student_id"] for r in rows] == ["amy", "bob"]
    assert rows[1]["autograded_score"] == "5" and rows[1]["autograded_max"] == "15"
    assert rows[1]["manual_score"] == "3" and rows[0]["a2:test_a"] == "2.5"
    table = format_table("a2", scores["a2"])
    assert "amy" in table and "12.5" in table and "total" in table


def test_mutant_files_are_validated(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""no cell"""\nREPLACE = [("a", "b")]\nLOSES = []\n')
    with pytest.raises(MutantError, match="CELL"):
        load_mutant(bad, "a2_mlp_mnist")
    stale = Mutant("a2_mlp_mnist", "stale", "", "softmax", (("this text is not in the cell", "x"),),
                   frozenset({"test_softmax"}), path=tmp_path / "stale.py")
    with pytest.raises(MutantError, match="exactly once"):
        apply_mutant(stale, read_generated("solutions", "a2_mlp_mnist"))


@pytest.mark.slow
def test_release_grade_export_end_to_end(tmp_path, capsys):
    """The untouched student version, graded through the CLI: 0 points, no crash, a CSV row."""
    course = new_course_dir(tmp_path / "course", ["a2_mlp_mnist"])
    assert main(["release", "a2_mlp_mnist", "--course-dir", str(course)]) == 0
    assert (course / "gradebook.db").exists() and (course / "release" / "a2_mlp_mnist").is_dir()
    write_submission(course, "ada", "a2_mlp_mnist", read_generated("release", "a2_mlp_mnist"))
    assert main(["grade", "a2_mlp_mnist", "--course-dir", str(course), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "ada" in out and "softmax_stability" in out
    assert main(["export", "a2_mlp_mnist", "--course-dir", str(course), "-o", str(tmp_path / "g.csv")]) == 0
    (row,) = list(csv.DictReader(open(tmp_path / "g.csv")))
    assert row["student_id"] == "ada" and row["autograded_score"] == "0" and row["autograded_max"] == "100"
    assert (course / "autograded" / "ada" / "a2_mlp_mnist" / "a2_mlp_mnist.ipynb").exists()
