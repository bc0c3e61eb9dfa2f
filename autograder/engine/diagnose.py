"""What is wrong with a submission, in words an instructor understands.

nbgrader alone decides how a submission is graded; this module only explains what it did, by
comparing the submitted files with the assignment's source notebooks:

* **problems** make nbgrader's autograde fail, and the submission is recorded with 0: no notebook
  with the expected name, a file that is not JSON or not a notebook nbformat can read, a graded cell
  that appears twice (nbgrader's ``DeduplicateIds`` strips the copies of their metadata, which
  ``CheckCellMetadata`` then rejects), a graded cell whose ``grade_id`` the assignment does not have
  (``OverwriteCells`` drops the id, ``CheckCellMetadata`` rejects the cell);
* **notes** describe what nbgrader repaired or left ungraded in a submission it did grade: a read-only
  or test cell that was edited (``OverwriteCells`` restores it, hidden tests included), nbgrader
  metadata that was changed (points, lock, checksum: restored from the gradebook), a deleted cell or
  one stripped of its nbgrader metadata (not put back unless ``OverwriteCells.add_missing_cells``: a
  missing test cell has no score, which counts as 0), a missing or extra notebook, an old nbformat.

Neither list changes a score.
"""

from __future__ import annotations

import copy
import json
import warnings
from dataclasses import dataclass, field
from pathlib import PurePosixPath


@dataclass
class Diagnosis:
    """Findings about one submission (see the module docstring)."""

    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _meta(cell) -> dict:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else {}


def _flagged(meta: dict) -> bool:
    """nbgrader treats the cell as one of its own (it needs a grade_id)."""
    return bool(meta.get("grade") or meta.get("solution") or meta.get("locked") or meta.get("task"))


def _role(cell) -> str:
    meta = _meta(cell)
    if meta.get("task"):
        return "task cell"
    if meta.get("solution"):
        return "graded answer cell" if meta.get("grade") else "answer cell"
    if meta.get("grade"):
        return "test cell" if cell.get("cell_type") == "code" else "graded cell"
    return "read-only cell"


def _locked(cell) -> bool:
    """nbgrader's ``is_locked``: OverwriteCells restores the source of these cells."""
    meta = _meta(cell)
    return not meta.get("solution") and bool(meta.get("grade") or meta.get("locked"))


def _names(paths) -> str:
    return ", ".join(repr(p) if " " in p else p for p in sorted(paths))


def read_notebook(name: str, data: bytes):
    """Read a submitted notebook as nbgrader does (nbformat, converted to version 4).

    Parameters
    ----------
    name : str
        File name, for the messages.
    data : bytes

    Returns
    -------
    nb : NotebookNode or None
        None when nbformat cannot read it.
    problem : str
        Why not (empty when it could).
    note : str
        Set when the notebook was converted from an older nbformat.
    """
    import nbformat

    what = f"submitted notebook {name}"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"{what} is not a text file (invalid UTF-8 at byte {exc.start})", ""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        where = f"line {exc.lineno} column {exc.colno}: {exc.msg}" if hasattr(exc, "lineno") else str(exc)
        return None, f"{what} is not valid JSON ({where})", ""
    if not isinstance(raw, dict):
        return None, f"{what} is JSON but not a notebook (a {type(raw).__name__}, not an object)", ""
    version = raw.get("nbformat", 1)
    claimed = f"{version}.{raw.get('nbformat_minor')}" if "nbformat_minor" in raw else f"{version}"
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4, capture_validation_error={})
    except Exception as exc:  # noqa: BLE001 - whatever nbformat raises, nbgrader fails the same way
        if version not in (1, 2, 3, 4):
            return None, (f"{what} claims nbformat {claimed}, a version nbformat cannot read "
                          "(Jupyter writes nbformat 4)"), ""
        if version == 3 and "cells" in raw and "worksheets" not in raw:
            return None, f"{what} claims nbformat {claimed} but holds nbformat 4 content: nbformat cannot read it", ""
        return None, f"{what} cannot be read as an nbformat {claimed} notebook ({type(exc).__name__}: {exc})", ""
    if not isinstance(nb.get("cells"), list):
        return None, f"{what} has no list of cells", ""
    note = f"{what} is nbformat {claimed}: nbformat converted it to nbformat 4" if version != 4 else ""
    return nb, "", note


def released_source(cell, config=None) -> str:
    """The source a student received for a read-only or test cell: hidden tests removed."""
    from nbgrader.preprocessors import ClearHiddenTests

    released = copy.deepcopy(cell)
    try:
        ClearHiddenTests(config=config)._remove_hidden_test_region(released)
    except RuntimeError:  # unbalanced markers: generate_assignment would have refused the source
        pass
    return released.source


def released_checksum(cell, config=None) -> str:
    """The checksum nbgrader's generate_assignment wrote into a read-only or test cell."""
    from nbgrader.utils import compute_checksum

    released = copy.deepcopy(cell)
    released.source = released_source(cell, config)
    return compute_checksum(released)


def compare_cells(name: str, nb, source_nb, *, config=None, add_missing_cells: bool = False) -> Diagnosis:
    """Compare the nbgrader cells of a submitted notebook with those of its source notebook.

    Parameters
    ----------
    name : str
        Notebook file name.
    nb, source_nb : NotebookNode
        The submission and the assignment's source notebook (nbformat 4).
    config : traitlets.config.Config or None
        The course configuration (hidden-test delimiters).
    add_missing_cells : bool
        nbgrader's ``OverwriteCells.add_missing_cells``.

    Returns
    -------
    diagnosis : Diagnosis
    """
    out = Diagnosis()
    expected = {}
    for cell in source_nb.cells:
        meta = _meta(cell)
        if _flagged(meta) and meta.get("grade_id"):
            expected[meta["grade_id"]] = cell
    seen: dict[str, list[int]] = {}
    plain = []
    for index, cell in enumerate(nb.cells):
        meta = _meta(cell)
        if not _flagged(meta):
            plain.append(cell)
        elif not meta.get("grade_id"):
            out.problems.append(f"{name}: cell {index} is marked as an nbgrader cell but has no grade_id: "
                                "nbgrader refuses such a notebook")
        else:
            seen.setdefault(meta["grade_id"], []).append(index)
    missing = [gid for gid in expected if gid not in seen]
    for gid, where in seen.items():
        if len(where) > 1:
            role = _role(expected[gid]) if gid in expected else "cell"
            out.problems.append(
                f"{name}: {role} {gid} appears {len(where)} times (cells {', '.join(map(str, where))}): nbgrader "
                "cannot grade a notebook in which one of its cells was copied")
        if gid not in expected:
            hint = f" ({_names(missing)} missing: renamed?)" if missing else ""
            out.problems.append(
                f"{name}: cell {where[0]} has grade_id {gid!r}, which the assignment does not have{hint}: "
                "nbgrader cannot grade a notebook whose cell ids were changed")
    for gid in missing:
        cell = expected[gid]
        role = _role(cell)
        stripped = _locked(cell) and any(
            c.get("cell_type") == cell.cell_type and c.get("source") == released_source(cell, config) for c in plain)
        how = "its nbgrader metadata was removed" if stripped else "deleted, or its nbgrader metadata removed"
        if add_missing_cells:
            effect = "nbgrader put it back from the assignment"
        elif role == "test cell" or "graded" in role:
            effect = "nbgrader does not put it back and does not grade it (no score, 0 unless graded by hand)"
        elif role == "task cell":
            effect = "nbgrader does not put it back (0 unless graded by hand)"
        else:
            effect = "nbgrader does not put it back; cells that need it may fail"
        out.notes.append(f"{name}: {role} {gid} is missing ({how}): {effect}")
    for gid, where in seen.items():
        if gid not in expected or len(where) > 1:
            continue
        src, sub = expected[gid], nb.cells[where[0]]
        out.notes += _changes(name, gid, src, sub, config)
    return out


def _changes(name: str, gid: str, src, sub, config) -> list[str]:
    """Notes on one graded cell present once in the submission."""
    role, meta, src_meta, notes = _role(src), _meta(sub), _meta(src), []
    changed = []
    if sub.get("cell_type") != src.cell_type:
        changed.append(f"cell type {sub.get('cell_type')} instead of {src.cell_type}")
    if bool(meta.get("locked")) != bool(src_meta.get("locked")) or bool(meta.get("solution")) != bool(
            src_meta.get("solution")) or bool(meta.get("grade")) != bool(src_meta.get("grade")):
        changed.append("grade/solution/lock flags")
    if src_meta.get("grade"):
        try:
            if float(meta.get("points")) != float(src_meta.get("points")):
                changed.append(f"points {meta.get('points')} instead of {src_meta.get('points')}")
        except (TypeError, ValueError):
            changed.append(f"points {meta.get('points')!r}")
    if _locked(src):
        edited = sub.get("source") != released_source(src, config)
        if edited:
            hidden = released_source(src, config) != src.source
            notes.append(f"{name}: {role} {gid} was edited: nbgrader replaced it with the assignment's version"
                         + (" (hidden tests included)" if hidden else "") + " before running it")
        elif "checksum" in meta and meta["checksum"] != released_checksum(src, config):
            changed.append("checksum")
    if changed:
        notes.append(f"{name}: nbgrader metadata of {role} {gid} was changed ({'; '.join(changed)}): "
                     "nbgrader used the assignment's")
    return notes


def diagnose(files: dict[str, bytes], source: dict[str, bytes], *, config=None) -> Diagnosis:
    """Problems and notes for one submission of an assignment.

    Parameters
    ----------
    files : dict
        The submission, ``relative path -> bytes`` (``submitted/<student>/<assignment>/``).
    source : dict
        The assignment's source files, ``relative path -> bytes``.
    config : traitlets.config.Config or None
        The course configuration (``OverwriteCells.add_missing_cells``, hidden-test delimiters).

    Returns
    -------
    diagnosis : Diagnosis
    """
    import nbformat

    out = Diagnosis()
    wanted = sorted(rel for rel in source if rel.endswith(".ipynb") and "/" not in rel)
    add_missing = bool(config is not None and config.get("OverwriteCells", {}).get("add_missing_cells", False))
    found = [rel for rel in files if rel.endswith(".ipynb")]
    present = [rel for rel in wanted if rel in files]
    others = sorted(rel for rel in found if rel not in wanted)
    if not present:
        expected = _names(wanted)
        if others:
            out.problems.append(f"no notebook named {expected} was submitted, but {_names(others)} was: nbgrader "
                                f"grades only notebooks named as in the assignment (rename it to {expected})")
        elif files:
            out.problems.append(f"no notebook submitted: expected {expected}, the submission holds only "
                                f"{_names(files)}")
        else:
            out.problems.append(f"no notebook submitted: expected {expected}, the submission folder is empty")
        return out
    for rel in wanted:
        if rel not in files:
            out.notes.append(f"{rel} was not submitted: nbgrader gives 0 to its cells")
    for rel in others:
        where = "not in the submission's top folder" if PurePosixPath(rel).name in wanted else "not part of the assignment"
        out.notes.append(f"{rel} is {where}: not graded")
    for rel in present:
        nb, problem, note = read_notebook(rel, files[rel])
        if problem:
            out.problems.append(problem)
            continue
        if note:
            out.notes.append(note)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                source_nb = nbformat.reads(source[rel].decode("utf-8"), as_version=4, capture_validation_error={})
            found_here = compare_cells(rel, nb, source_nb, config=config, add_missing_cells=add_missing)
        except Exception as exc:  # noqa: BLE001 - an explanation must never stop grading
            out.notes.append(f"{rel}: its cells could not be compared with the assignment's ({type(exc).__name__})")
            continue
        out.problems += found_here.problems
        out.notes += found_here.notes
    return out
