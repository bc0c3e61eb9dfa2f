"""release/ and solutions/ are exactly what nbgrader generates from source/ now."""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from autograder.course import REPO_ROOT
from autograder.course.release import REGENERATE_COMMAND, stale_files
from conftest import ASSIGNMENTS


def test_there_are_assignments():
    assert "a2_mlp_mnist" in ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_generated_copies_are_up_to_date(assignment):
    problems = stale_files(assignment)
    assert not problems, "generated copies are stale:\n  " + "\n  ".join(problems) + \
        f"\nregenerate with: {REGENERATE_COMMAND}"


def test_a_stale_copy_is_detected(tmp_path):
    assignment = "a2_mlp_mnist"
    for kind in ("source", "release", "solutions"):
        shutil.copytree(REPO_ROOT / kind / assignment, tmp_path / kind / assignment)
    shutil.copy2(REPO_ROOT / "nbgrader_config.py", tmp_path)
    assert stale_files(assignment, source_root=tmp_path) == []
    path = tmp_path / "source" / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells[0].source += "\nAn edit the instructor forgot to release."
    nbformat.write(nb, path)
    problems = stale_files(assignment, source_root=tmp_path)
    assert any(p.startswith(f"release/{assignment}/") and "out of date" in p for p in problems)
    assert any(p.startswith(f"solutions/{assignment}/") for p in problems)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("kind", ["source", "release", "solutions"])
def test_notebooks_are_stored_without_outputs_and_with_stable_ids(assignment, kind):
    path = REPO_ROOT / kind / assignment / f"{assignment}.ipynb"
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    ids = [c.id for c in nb.cells]
    assert len(set(ids)) == len(ids)
    for cell in nb.cells:
        # ids are the human-chosen names of the source cells (readable diffs), not random ones
        assert re.fullmatch(r"[a-z][a-z0-9_]*", cell.id), f"cell id {cell.id!r} is not a stable, readable name"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{kind}: cell {cell.id} has outputs"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_no_solutions_or_hidden_tests(assignment):
    text = (REPO_ROOT / "release" / assignment / f"{assignment}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text
    solutions = (REPO_ROOT / "solutions" / assignment / f"{assignment}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" not in solutions
    source = (REPO_ROOT / "source" / assignment / f"{assignment}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" in source and "BEGIN SOLUTION" in source


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograded_points_total_100(assignment):
    nb = nbformat.read(REPO_ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    meta = [c.metadata.get("nbgrader", {}) for c in nb.cells]
    assert sum(m.get("points", 0) for m in meta if m.get("grade") and not m.get("solution")) == 100
    # every test cell is locked and follows an answer cell (possibly after prose / given code)
    for m in meta:
        if m.get("grade") and not m.get("solution"):
            assert m.get("locked") is True


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
@pytest.mark.parametrize("kind", ["source", "release"])
def test_no_test_cell_ends_with_an_expression(assignment, kind):
    """nbgrader reads a test cell's displayed value as partial credit (0.97 of 15 points, say), and any
    stderr output as failure: a test cell must end with a statement, not an expression."""
    import ast

    nb = nbformat.read(REPO_ROOT / kind / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            body = ast.parse(cell.source).body  # empty when the public part is only a comment
            assert not body or not isinstance(body[-1], ast.Expr), \
                f"{kind}: test cell {cell.id} ends with an expression; nbgrader would use its value as the score"
