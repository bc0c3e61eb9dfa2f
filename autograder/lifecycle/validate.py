"""``autograder validate NOTEBOOK``: a student's self-check before handing in.

Runs the notebook top to bottom in a fresh kernel, with nbgrader's own preprocessors (cell metadata
check, clear outputs, execute), and reports each autograded test cell: passed or failed with the
failure message, and the TODO cells it tests (the answer cells since the previous test cell). Only
the public tests in the student's copy run here; the hidden tests run when the notebook is graded,
so passing everything here is necessary, not sufficient. Cells whose locked content was edited are
reported too: grading restores them from the instructor's copy.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..course.config import CourseError

#: Seconds a cell may run (training cells run for tens of seconds).
DEFAULT_TIMEOUT = 300


@dataclass
class TestCellResult:
    """One autograded test cell after the run."""

    grade_id: str
    points: float
    passed: bool
    message: str = ""
    todo_cells: list[str] = field(default_factory=list)
    hidden_only: bool = False


@dataclass
class ValidationResult:
    """What `validate_notebook` found."""

    path: Path
    tests: list[TestCellResult] = field(default_factory=list)
    edited_locked_cells: list[str] = field(default_factory=list)
    failing_todo_cells: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every public test passes and no TODO cell raises."""
        return all(t.passed for t in self.tests) and not self.failing_todo_cells


def _progress_execute(show: bool):
    from nbgrader.preprocessors import Execute

    class ProgressExecute(Execute):
        """nbgrader's Execute that prints ``cell i/n`` while it runs."""

        def preprocess_cell(self, cell, resources, index):
            if show and sys.stderr.isatty():
                print(f"\r  running cell {index + 1}/{len(self.nb.cells)}", end="", file=sys.stderr, flush=True)
            return super().preprocess_cell(cell, resources, index)

    return ProgressExecute


def cell_error_message(cell) -> str:
    """What a failed cell says: its error as ``ename: message`` (a stub explained), else its stderr."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            evalue = str(out.get("evalue", "")).strip()
            if out.get("ename") == "NotImplementedError" and not evalue:
                return "NotImplementedError: a TODO cell is still the stub (raise NotImplementedError())"
            return f"{out.get('ename', 'Error')}: {evalue}" if evalue else str(out.get("ename", "Error"))
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return "wrote to stderr (nbgrader counts that as a failure): " + out.get("text", "").strip()[:300]
    return ""


def validate_notebook(path: Path, *, timeout: int = DEFAULT_TIMEOUT, progress: bool = True) -> ValidationResult:
    """Execute a student's notebook and report its public tests.

    Parameters
    ----------
    path : Path
        The notebook (``.ipynb``); it is executed in its own directory and is not modified.
    timeout : int
        Seconds each cell may run.
    progress : bool
        Print the cell being run to stderr.

    Returns
    -------
    result : ValidationResult
    """
    import nbformat
    from nbgrader import utils
    from nbgrader.preprocessors import CheckCellMetadata, ClearOutput
    from traitlets.config import Config

    path = Path(path)
    if not path.is_file():
        raise CourseError(f"no such notebook: {path}")
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception as exc:  # noqa: BLE001 - any parse failure is the same message
        raise CourseError(f"{path} is not a readable Jupyter notebook: {exc}") from None
    result = ValidationResult(path)
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if (utils.is_locked(cell) or utils.is_grade(cell)) and "checksum" in meta and not utils.is_solution(cell):
            if utils.compute_checksum(cell) != meta["checksum"]:
                result.edited_locked_cells.append(meta.get("grade_id") or f"cell {index}")

    cfg = Config()
    cfg.Execute.timeout = int(timeout)
    cfg.Execute.allow_errors = True
    resources = {"metadata": {"path": str(path.parent.resolve())}}
    with utils.setenv(NBGRADER_VALIDATING="1", NBGRADER_EXECUTION="validate"):
        for pp in (CheckCellMetadata, ClearOutput, _progress_execute(progress)):
            nb, resources = pp(config=cfg).preprocess(nb, resources)
    if progress:
        print(file=sys.stderr)

    todo: list[str] = []
    last_todo: list[str] = []
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        name = meta.get("grade_id") or f"cell {index}"
        if utils.is_solution(cell) and cell.cell_type == "code":
            todo.append(name)
            if cell_error_message(cell):
                result.failing_todo_cells.append(name)
        if utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code":
            score, max_score = utils.determine_grade(cell, None)
            passed = score is not None and score >= max_score and not utils.has_failed(cell)
            message = "" if passed else (cell_error_message(cell) or "partial credit: not every check passed")
            code = [line for line in cell.source.splitlines() if line.strip() and not line.strip().startswith("#")]
            result.tests.append(TestCellResult(name, float(max_score or 0), passed, message, todo or last_todo,
                                               hidden_only=not code))
            last_todo, todo = todo or last_todo, []
    return result


def format_result(result: ValidationResult) -> str:
    """The report `validate` prints.

    Parameters
    ----------
    result : ValidationResult

    Returns
    -------
    text : str
    """
    lines = [f"{result.path.name}:"]
    for t in result.tests:
        mark = "PASS" if t.passed else "FAIL"
        if t.hidden_only and t.passed:
            lines.append(f"  ....  {t.grade_id} [{t.points:g} pts]  hidden tests only: they run when graded")
            continue
        where = f"  (TODO: {', '.join(t.todo_cells)})" if t.todo_cells and not t.passed else ""
        lines.append(f"  {mark}  {t.grade_id} [{t.points:g} pts]{where}")
        if not t.passed:
            lines.append(f"        {t.message[:500]}")
    public = [t for t in result.tests if not (t.hidden_only and t.passed)]
    passed = sum(t.passed for t in public)
    lines.append(f"{passed} of {len(public)} test cells with public tests pass.")
    if result.failing_todo_cells:
        lines.append("TODO cells that still raise an error: " + ", ".join(result.failing_todo_cells))
    if result.edited_locked_cells:
        lines.append("Edited read-only cells (grading restores the original, so edits there count for nothing): "
                     + ", ".join(result.edited_locked_cells))
    lines.append("Only the public tests ran here; the hidden tests run when your notebook is graded.")
    return "\n".join(lines)
