"""The instructor's source notebooks run top to bottom with every test cell (hidden tests included) passing."""

from __future__ import annotations

import shutil

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.course import REPO_ROOT
from conftest import ASSIGNMENTS

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_source_notebook_executes_cleanly(assignment, tmp_path):
    src = REPO_ROOT / "source" / assignment
    work = tmp_path / assignment
    shutil.copytree(src, work)
    nb = nbformat.read(work / f"{assignment}.ipynb", as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(work)}})
    client.execute()  # raises CellExecutionError naming the failing cell
    errors = [c.id for c in nb.cells if c.cell_type == "code"
              and any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert not errors, f"cells with errors: {errors}"
    # the test cells really ran (a cell that was skipped would have no execution count)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert graded and all(c.execution_count for c in graded)
