"""``run_autograder``: grade the notebook in ``<root>/submission`` and write ``<root>/results/results.json``.

The submission is graded as ``autograder grade`` grades it: a scratch course (the zip's ``course/``, copied)
with the notebook under ``submitted/<student>/<assignment>/``, the Dask engine with one local worker, the
judge and the kernel guard, under the limits the zip was built with. ``results.json`` follows Gradescope's
specification: a top-level ``score`` and ``execution_time``, and one ``tests`` entry per graded test cell
with ``name`` (the cell's grade id), ``score``, ``max_score``, ``status``, ``output`` (the judge's failure
message: never a line of a hidden test) and ``visibility``. A problem with the submission itself (no
notebook, the wrong file name, not JSON, not a notebook) gives one clear message and a score of 0; this
module never ends without writing ``results.json``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

#: The student id the submission is graded under in the scratch course.
STUDENT = "gradescope-submission"


def _problem(message: str, start: float) -> dict:
    return {"score": 0.0, "execution_time": round(time.time() - start, 3), "output": message, "tests": []}


def find_notebook(submission: Path, expected: str) -> tuple[Path | None, str]:
    """The submitted notebook, or None and why it cannot be graded.

    Parameters
    ----------
    submission : Path
        ``<root>/submission``.
    expected : str
        The assignment's notebook name (e.g. ``a2_mlp_mnist.ipynb``).

    Returns
    -------
    path : Path or None
    problem : str
    """
    import nbformat

    found = sorted(p for p in submission.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts) \
        if submission.is_dir() else []
    exact = [p for p in found if p.name == expected]
    if not exact:
        if not found:
            return None, f"No notebook was submitted: upload {expected} (the notebook you worked in, not a copy " \
                         "under another name)."
        return None, f"The submitted notebook is named {found[0].name}, but the autograder grades {expected}: " \
                     f"rename it to {expected} and submit again."
    path = exact[0]
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # noqa: BLE001 - not JSON, or not a notebook nbformat can read
        return None, f"{expected} could not be read as a Jupyter notebook ({type(exc).__name__}: " \
                     f"{str(exc).splitlines()[0][:200] if str(exc) else 'no detail'}); download it again from " \
                     "Jupyter (File > Download) and resubmit."
    return path, ""


def cell_messages(autograded: Path) -> dict[str, str]:
    """``grade_id -> failure message`` of the cells of an autograded notebook (`validate`'s wording)."""
    import nbformat

    from ..validate import cell_error_message

    if not autograded.is_file():
        return {}
    nb = nbformat.read(autograded, as_version=4)
    messages = {c.metadata["nbgrader"]["grade_id"]: cell_error_message(c) for c in nb.cells
                if c.cell_type == "code" and c.get("metadata", {}).get("nbgrader", {}).get("grade_id")}
    return {gid: text for gid, text in messages.items() if text}


def hidden_cells(source_nb: Path) -> set[str]:
    """Grade ids of the source notebook's test cells that hold hidden tests."""
    import nbformat

    nb = nbformat.read(source_nb, as_version=4)
    return {c.metadata["nbgrader"]["grade_id"] for c in nb.cells
            if c.get("metadata", {}).get("nbgrader", {}).get("grade") and "BEGIN HIDDEN TESTS" in c.source}


def grade_submission(root: Path, start: float | None = None) -> dict:
    """Grade ``<root>/submission`` with the zip's course; the results as Gradescope wants them.

    Parameters
    ----------
    root : Path
        The autograder root: ``source/`` (the unpacked zip) and ``submission/``.
    start : float or None
        ``time.time()`` when grading began (for ``execution_time``).

    Returns
    -------
    results : dict
        The content of ``results.json``.
    """
    from ...audit.samples import write_submission
    from ...course.gradebook import read_scores
    from ...engine.coordinator import grade_parallel
    from ...engine.jobs import Limits
    from . import SPEC_NAME

    start = time.time() if start is None else start
    spec = json.loads((root / "source" / SPEC_NAME).read_text(encoding="utf-8"))
    assignment, notebook = spec["assignment"], spec["notebook"]
    path, problem = find_notebook(root / "submission", notebook)
    if path is None:
        return _problem(problem, start)
    import nbformat

    with tempfile.TemporaryDirectory(prefix="autograder-gradescope-") as tmp:
        course = Path(tmp) / "course"
        shutil.copytree(root / "source" / "course", course)
        write_submission(course, STUDENT, assignment, nbformat.read(path, as_version=4), name=notebook)
        known = {k: v for k, v in spec.get("limits", {}).items() if k in Limits.__dataclass_fields__}
        results = grade_parallel(course, assignment, workers=1, limits=Limits(**known), progress=False)
        result = results[0]
        cells = read_scores(course, assignment, STUDENT)
        messages = cell_messages(course / "autograded" / STUDENT / assignment / notebook)
        hidden = hidden_cells(course / "source" / assignment / notebook)
    tests = []
    for cell in cells:
        if not cell.autograded:
            continue
        passed = cell.score >= cell.max_score
        tests.append({
            "name": cell.grade_id, "score": float(cell.score), "max_score": float(cell.max_score),
            "status": "passed" if passed else "failed",
            "output": "" if passed else messages.get(cell.grade_id, "no points for this cell"),
            "visibility": spec.get("hidden_visibility", "after_published") if cell.grade_id in hidden else "visible"})
    out = {"score": float(sum(t["score"] for t in tests)), "execution_time": round(time.time() - start, 3),
           "tests": tests}
    if result.status not in ("graded", "skipped") or result.reasons:
        out["output"] = "\n".join(result.reasons or [result.error or f"grading ended with status {result.status}"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("/autograder"), help="the autograder root")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    start = time.time()
    try:
        results = grade_submission(root, start)
    except Exception:  # noqa: BLE001 - the autograder's own failure: 0, and the reason in the staff-only stdout
        traceback.print_exc()
        results = _problem("The autograder could not grade this submission (a problem on our side, not in your "
                           "notebook): please tell the course staff.", start)
    (root / "results").mkdir(parents=True, exist_ok=True)
    (root / "results" / "results.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    print(f"score {results['score']:g}; {len(results['tests'])} test(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
