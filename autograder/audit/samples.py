"""Sample submissions of an assignment: the solution, the untouched release and the known mutants.

Used by ``autograder demo`` and by the tests that prove the hidden tests grade as intended.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from ..course.config import REPO_ROOT
from .mutants import MUTANTS_DIR, apply_mutant, load_mutants


def notebook_name(assignment: str, root: Path = REPO_ROOT) -> str:
    """File name of the (single) notebook of an assignment.

    Parameters
    ----------
    assignment : str
    root : Path

    Returns
    -------
    name : str
        e.g. ``a2_mlp_mnist.ipynb``.
    """
    names = sorted(p.name for p in (Path(root) / "source" / assignment).glob("*.ipynb"))
    if len(names) != 1:
        raise ValueError(f"source/{assignment} must hold exactly one notebook, found {names}")
    return names[0]


def read_generated(kind: str, assignment: str, root: Path = REPO_ROOT) -> nbformat.NotebookNode:
    """Read the committed ``release`` or ``solutions`` notebook of an assignment.

    Parameters
    ----------
    kind : {"release", "solutions"}
    assignment : str
    root : Path

    Returns
    -------
    nb : NotebookNode
    """
    return nbformat.read(Path(root) / kind / assignment / notebook_name(assignment, root), as_version=4)


def sample_submissions(assignment: str, *, root: Path = REPO_ROOT, mutants_dir: Path = MUTANTS_DIR,
                       include_mutants: bool = True) -> dict[str, nbformat.NotebookNode]:
    """The solution, the untouched student version and every mutant, keyed by student id.

    Parameters
    ----------
    assignment : str
    root : Path
    mutants_dir : Path
    include_mutants : bool

    Returns
    -------
    submissions : dict
        ``student_id -> notebook``: ``solution``, ``untouched`` and ``mutant-<name>``.
    """
    solution = read_generated("solutions", assignment, root)
    subs = {"solution": solution, "untouched": read_generated("release", assignment, root)}
    if include_mutants:
        for mutant in load_mutants(assignment, mutants_dir):
            subs[mutant.student_id] = apply_mutant(mutant, solution)
    return subs


def write_submission(course_dir: Path, student: str, assignment: str, nb: nbformat.NotebookNode,
                     name: str | None = None) -> Path:
    """Place a notebook where nbgrader expects a submission.

    Parameters
    ----------
    course_dir : Path
    student : str
    assignment : str
    nb : NotebookNode
    name : str or None
        Notebook file name (default: the assignment's notebook name).

    Returns
    -------
    path : Path
        ``<course_dir>/submitted/<student>/<assignment>/<name>``.
    """
    name = name or notebook_name(assignment, course_dir if (Path(course_dir) / "source").is_dir() else REPO_ROOT)
    path = Path(course_dir) / "submitted" / student / assignment / name
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        nbformat.write(nb, f)
    return path
