"""Feedback never shows a hidden test; ``validate`` tells a student which TODO cells still fail."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.course import new_course_dir
from autograder.lifecycle.feedback import REDACTED_NOTE, RedactHiddenTests, find_leaks, generate_feedback, visible_text
from autograder.course.release import generate
from autograder.audit.samples import sample_submissions, write_submission
from conftest import ASSIGNMENTS
from tiny_course import TINY, tiny_course, tiny_submission


def _test_cell(source, outputs=()):
    cell = nbformat.v4.new_code_cell(source, metadata={"nbgrader": {
        "grade": True, "solution": False, "locked": True, "grade_id": "test_x", "points": 2, "schema_version": 3}})
    cell.outputs = list(outputs)
    return cell


def test_redaction_removes_hidden_region_and_traceback_but_keeps_the_message():
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="softmax() rows must sum to 1",
                                   traceback=["----", "  assert secret_reference_call(X) == 3", "AssertionError: ..."])
    nb = nbformat.v4.new_notebook(cells=[
        _test_cell("assert f(1) == 1\n### BEGIN HIDDEN TESTS\nassert secret_reference_call(X) == 3\n"
                   "### END HIDDEN TESTS", [error]),
        nbformat.v4.new_code_cell("def f(x):\n    return x  # my answer", metadata={"nbgrader": {
            "grade": False, "solution": True, "locked": False, "grade_id": "f", "schema_version": 3}}),
    ])
    out, _ = RedactHiddenTests().preprocess(nb, {})
    test, answer = out.cells
    assert "secret_reference_call" not in test.source
    assert test.source == "assert f(1) == 1\n" + REDACTED_NOTE
    assert test.outputs[0]["traceback"] == ["AssertionError: softmax() rows must sum to 1"]
    assert answer.source == "def f(x):\n    return x  # my answer"


def test_visible_text_reads_code_back_out_of_highlighted_html():
    html = '<pre><span class="n">x</span> <span class="o">=</span> <span class="n">a</span> &lt; 1</pre><style>.x{}</style>'
    assert visible_text(html).strip() == "x = a < 1"


@pytest.mark.slow
def test_no_hidden_test_line_appears_in_any_feedback_file(tmp_path):
    """Every assignment, graded submissions that fail every test (the untouched release) and one wrong
    implementation (a4, a3): the feedback shows failure messages and public tests but no hidden line,
    while the same notebooks exported by nbgrader's plain HTML exporter would leak them."""
    from nbconvert import HTMLExporter

    from autograder.engine.coordinator import grade_parallel, open_client

    wanted = {"a4_losses_and_stability": ["untouched", "mutant-bce-summed-not-averaged"],
              "a3_mlp_moons": ["untouched", "mutant-delta-sign-flipped"]}
    course = new_course_dir(tmp_path / "course", ASSIGNMENTS)
    with open_client(workers=2) as client:
        for assignment in ASSIGNMENTS:
            generate(assignment, source_root=course, out_root=course, gradebook=course / "gradebook.db")
            subs = sample_submissions(assignment, root=course)
            for student in wanted.get(assignment, ["untouched"]):
                write_submission(course, student, assignment, subs[student])
            grade_parallel(course, assignment, client=client, progress=False)

    for assignment in ASSIGNMENTS:
        files = generate_feedback(course, assignment)
        assert len(files) == len(wanted.get(assignment, ["untouched"]))
        assert find_leaks(course, assignment, files) == {}, f"{assignment}: feedback shows hidden tests"
        for path in files:
            shown = visible_text(path.read_text(encoding="utf-8"))
            assert "Score:" in shown and REDACTED_NOTE in shown
        # Control: without the redaction the same check finds hidden lines (so it can fail).
        raw = tmp_path / f"{assignment}-raw.html"
        autograded = next((course / "autograded" / "untouched" / assignment).glob("*.ipynb"))
        raw.write_text(HTMLExporter().from_notebook_node(nbformat.read(autograded, as_version=4))[0])
        assert find_leaks(course, assignment, [raw]), f"{assignment}: the leak check finds nothing to find"

    # The failure message of the hidden test that caught the wrong delta reaches the student.
    a3 = visible_text(next((course / "feedback" / "mutant-delta-sign-flipped" / "a3_mlp_moons").glob("*.html"))
                      .read_text(encoding="utf-8"))
    assert "AssertionError" in a3 and "gradient" in a3.lower()


@pytest.mark.slow
def test_feedback_command(tmp_path, capsys):
    course = tiny_course(tmp_path)
    assert main(["feedback", TINY, "--course-dir", str(course)]) == 2
    assert "run `autograder grade tiny` first" in capsys.readouterr().err
    tiny_submission(course, "alice", answer_b="b = 3")
    assert main(["grade", TINY, "--course-dir", str(course), "--workers", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["feedback", TINY, "--course-dir", str(course)]) == 0
    assert "no hidden test line" in capsys.readouterr().out
    html = (course / "feedback" / "alice" / TINY / f"{TINY}.html").read_text(encoding="utf-8")
    assert "b = 3" in visible_text(html)


@pytest.mark.slow
def test_validate_lists_failing_test_cells_and_their_todo_cells(tmp_path, capsys):
    course = tiny_course(tmp_path)
    released = course / "release" / TINY / f"{TINY}.ipynb"
    assert main(["validate", str(released), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "FAIL  test_a [1 pts]  (TODO: answer_a)" in out and "FAIL  test_b" in out
    assert "0 of 2 test cells with public tests pass" in out

    tiny_submission(course, "bob", answer_b="b = 3")
    done = course / "submitted" / "bob" / TINY / f"{TINY}.ipynb"
    before = done.read_bytes()
    assert main(["validate", str(done), "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "PASS  test_a" in out and "FAIL  test_b [1 pts]  (TODO: answer_b)" in out
    assert done.read_bytes() == before, "validate must not change the notebook"


@pytest.mark.slow
def test_validate_passes_a_finished_notebook_and_reports_edited_locked_cells(tmp_path, capsys):
    course = tiny_course(tmp_path)
    tiny_submission(course, "carol")
    path = course / "submitted" / "carol" / TINY / f"{TINY}.ipynb"
    assert main(["validate", str(path), "--quiet"]) == 0
    assert "2 of 2 test cells with public tests pass" in capsys.readouterr().out

    nb = nbformat.read(path, as_version=4)
    test_b = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "test_b")
    test_b.source = "pass"
    nbformat.write(nb, str(path))
    main(["validate", str(path), "--quiet"])
    assert "Edited read-only cells" in capsys.readouterr().out


def test_validate_rejects_a_file_that_is_not_a_notebook(tmp_path, capsys):
    bad = tmp_path / "hw.ipynb"
    bad.write_text("{not json")
    assert main(["validate", str(bad)]) == 2
    assert "is not a readable Jupyter notebook" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "missing.ipynb")]) == 2
    assert "no such notebook" in capsys.readouterr().err
