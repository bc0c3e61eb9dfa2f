"""Generate the student (``release/``) and solution (``solutions/``) versions of the assignments.

Both are made by nbgrader's own converters, ``GenerateAssignment`` and ``GenerateSolution``
(configured in ``nbgrader_config.py`` to store solutions without outputs and without hidden tests),
in a scratch course directory, so the repository never gets a ``gradebook.db``. The results are
normalised (nbformat's canonical JSON, no outputs) so that regenerating an unchanged source gives
byte-identical files, which the staleness test relies on.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import nbformat

from .config import REPO_ROOT, CourseError, check_assignment, make_api, new_course_dir

REGENERATE_COMMAND = "make regenerate   (or: autograder generate --all)"


def _normalise_tree(directory: Path) -> None:
    for path in sorted(directory.rglob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            nbformat.write(nb, f)


def generate(assignment: str, *, source_root: Path = REPO_ROOT, out_root: Path | None = None,
             gradebook: Path | None = None) -> tuple[Path, Path]:
    """Generate the release and solution versions of one assignment.

    Parameters
    ----------
    assignment : str
        Name of a directory under ``source_root/source``.
    source_root : Path
        Course directory holding ``source/`` and ``nbgrader_config.py``.
    out_root : Path or None
        Where ``release/<assignment>`` and ``solutions/<assignment>`` are written; defaults to
        `source_root` (i.e. the committed copies are replaced).
    gradebook : Path or None
        An nbgrader gradebook (SQLite file) in which to register the assignment and its cells, as
        ``nbgrader generate_assignment`` does; ``None`` uses a throw-away one.

    Returns
    -------
    release_dir, solution_dir : Path
        The written directories.
    """
    check_assignment(assignment, source_root)
    out_root = Path(source_root if out_root is None else out_root)
    with tempfile.TemporaryDirectory(prefix="backprop-generate-") as tmp:
        course = new_course_dir(Path(tmp) / "course", [assignment], source_root=source_root)
        api = make_api(course, gradebook=gradebook)
        result = api.generate_assignment(assignment)
        if not result["success"]:
            raise CourseError(f"nbgrader generate_assignment failed for {assignment}:\n"
                              f"{result.get('error') or result.get('log')}")
        from nbgrader.converters import GenerateSolution

        with _temp_assignment(api.coursedir, assignment):
            app = GenerateSolution(coursedir=api.coursedir, parent=api)
            app.force = True
            app.start()
        outputs = []
        for kind in ("release", "solutions"):
            produced = course / kind / assignment
            if not produced.is_dir():
                raise CourseError(f"nbgrader produced no {kind}/{assignment} (see its log above)")
            _normalise_tree(produced)
            dest = out_root / kind / assignment
            if dest.exists():
                shutil.rmtree(dest)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copytree(produced, dest)
            outputs.append(dest)
    return outputs[0], outputs[1]


class _temp_assignment:
    def __init__(self, coursedir, assignment):
        self.coursedir, self.assignment = coursedir, assignment

    def __enter__(self):
        self.old = self.coursedir.assignment_id
        self.coursedir.assignment_id = self.assignment

    def __exit__(self, *exc):
        self.coursedir.assignment_id = self.old


def stale_files(assignment: str, *, source_root: Path = REPO_ROOT) -> list[str]:
    """Compare the committed generated copies of an assignment with a fresh generation.

    Parameters
    ----------
    assignment : str
    source_root : Path

    Returns
    -------
    problems : list of str
        One line per file that is missing, extra or different; empty when everything is up to date.
    """
    with tempfile.TemporaryDirectory(prefix="backprop-stale-") as tmp:
        generate(assignment, source_root=source_root, out_root=Path(tmp))
        problems = []
        for kind in ("release", "solutions"):
            fresh_dir = Path(tmp) / kind / assignment
            committed_dir = Path(source_root) / kind / assignment
            fresh = {p.relative_to(fresh_dir) for p in fresh_dir.rglob("*") if p.is_file()}
            committed = ({p.relative_to(committed_dir) for p in committed_dir.rglob("*") if p.is_file()}
                         if committed_dir.is_dir() else set())
            for rel in sorted(fresh - committed):
                problems.append(f"{kind}/{assignment}/{rel}: missing")
            for rel in sorted(committed - fresh):
                problems.append(f"{kind}/{assignment}/{rel}: not produced by the source any more")
            for rel in sorted(fresh & committed):
                if (fresh_dir / rel).read_bytes() != (committed_dir / rel).read_bytes():
                    problems.append(f"{kind}/{assignment}/{rel}: out of date")
        return problems
