"""Wrong implementations ("mutants") of the assignments, turned into submissions.

Each mutant is a small Python file ``tests/mutants/<assignment>/<name>.py`` holding only literal
constants (read with ``ast.literal_eval``, never executed)::

    '''Softmax without subtracting the row maximum: overflows for large logits.'''
    CELL = "softmax"                       # grade_id of the answer cell to change
    REPLACE = [("X - np.max(X, axis=1, keepdims=True)", "X")]   # (old, new), each old found exactly once
    LOSES = ["test_softmax_stability"]     # test cells that must lose points
    MAY_LOSE = []                          # cells downstream of the mistake that may lose points too

A submission is the solution notebook with the replacements applied to that one cell. Every other
test cell must keep its full points; that is what makes a hidden test specific to its concept.

*Correct variants* under ``tests/correct_variants/<assignment>/`` have the same form without ``LOSES``:
another correct way to write the cell, the way students write it (another algebraic form, another numpy
idiom, in place where the prose allows it, float32 where the prose does not forbid it). They are the
controls: every one of them must keep full marks, or a hidden test checks something the notebook never
asked for.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ..course.config import REPO_ROOT

MUTANTS_DIR = REPO_ROOT / "tests" / "mutants"
CORRECT_VARIANTS_DIR = REPO_ROOT / "tests" / "correct_variants"


class MutantError(ValueError):
    """A mutant file is malformed or no longer applies to the solution notebook."""


@dataclass(frozen=True)
class Mutant:
    """One wrong implementation of one answer cell."""

    assignment: str
    name: str
    description: str
    cell: str
    replace: tuple[tuple[str, str], ...]
    loses: frozenset[str]
    may_lose: frozenset[str] = field(default_factory=frozenset)
    path: Path | None = None
    correct: bool = False

    @property
    def student_id(self) -> str:
        """The student id this mutant (or correct variant) is submitted under."""
        return ("variant-" if self.correct else "mutant-") + self.name.replace("_", "-")


def load_mutant(path: Path, assignment: str, *, correct: bool = False) -> Mutant:
    """Read one mutant file (or, with ``correct``, one correct-variant file).

    Parameters
    ----------
    path : Path
        The ``.py`` file.
    assignment : str
    correct : bool
        The file is a correct variant: it has no ``LOSES`` (or an empty one) and must keep full marks.

    Returns
    -------
    mutant : Mutant
    """
    tree = ast.parse(Path(path).read_text(encoding="utf-8"), filename=str(path))
    values = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            values[node.targets[0].id] = ast.literal_eval(node.value)
    if correct and (values.get("LOSES") or values.get("MAY_LOSE")):
        raise MutantError(f"{path}: a correct variant loses nothing; remove LOSES and MAY_LOSE")
    if correct:
        values.setdefault("LOSES", [])
    missing = {"CELL", "REPLACE", "LOSES"} - set(values)
    if missing:
        raise MutantError(f"{path}: missing {', '.join(sorted(missing))}")
    if not correct and not values["LOSES"]:
        raise MutantError(f"{path}: LOSES is empty; a change that keeps full marks is a correct variant "
                          f"(put it under {CORRECT_VARIANTS_DIR.relative_to(REPO_ROOT)}/{assignment}/)")
    replace = tuple((str(old), str(new)) for old, new in values["REPLACE"])
    if not replace:
        raise MutantError(f"{path}: REPLACE is empty")
    return Mutant(assignment=assignment, name=Path(path).stem, description=ast.get_docstring(tree) or "",
                  cell=values["CELL"], replace=replace, loses=frozenset(values["LOSES"]),
                  may_lose=frozenset(values.get("MAY_LOSE", ())), path=Path(path), correct=correct)


def load_mutants(assignment: str, root: Path = MUTANTS_DIR) -> list[Mutant]:
    """All mutants of an assignment, sorted by name.

    Parameters
    ----------
    assignment : str
    root : Path
        Directory holding one folder of mutant files per assignment.

    Returns
    -------
    mutants : list of Mutant
    """
    folder = Path(root) / assignment
    return [load_mutant(p, assignment) for p in sorted(folder.glob("*.py")) if not p.name.startswith("_")]


def load_correct_variants(assignment: str, root: Path = CORRECT_VARIANTS_DIR) -> list[Mutant]:
    """All correct variants of an assignment (the must-keep-full-marks controls), sorted by name.

    Parameters
    ----------
    assignment : str
    root : Path
        Directory holding one folder of correct-variant files per assignment.

    Returns
    -------
    variants : list of Mutant
        Each with ``correct=True`` and no expected losses.
    """
    folder = Path(root) / assignment
    return [load_mutant(p, assignment, correct=True) for p in sorted(folder.glob("*.py"))
            if not p.name.startswith("_")]


def apply_mutant(mutant: Mutant, solution: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of the solution notebook with the mutant's replacements in its answer cell.

    Parameters
    ----------
    mutant : Mutant
    solution : NotebookNode
        The solution notebook (``solutions/<assignment>/<name>.ipynb``).

    Returns
    -------
    submission : NotebookNode
    """
    nb = nbformat.from_dict(nbformat.v4.upgrade(solution) if solution.nbformat < 4 else solution)
    nb = nbformat.reads(nbformat.writes(nb), as_version=4)
    cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == mutant.cell]
    if len(cells) != 1:
        raise MutantError(f"{mutant.path}: no single cell with grade_id {mutant.cell!r}")
    cell = cells[0]
    for old, new in mutant.replace:
        count = cell.source.count(old)
        if count != 1:
            raise MutantError(f"{mutant.path}: {old!r} occurs {count} times in cell {mutant.cell!r}; "
                              "it must occur exactly once (did the solution change?)")
        cell.source = cell.source.replace(old, new)
    return nb
