"""Scores out of nbgrader's gradebook: the CSV an LMS imports and a text table for the terminal."""

from __future__ import annotations

import csv
from pathlib import Path

from ..course.config import make_api
from ..course.gradebook import CellScore, read_scores


def gradebook_scores(course_dir: Path, assignments: list[str] | None = None) -> dict[str, dict[str, list[CellScore]]]:
    """Every graded submission in the gradebook.

    Parameters
    ----------
    course_dir : Path
    assignments : list of str or None
        Restrict to these assignments (default: all in the gradebook).

    Returns
    -------
    scores : dict
        ``scores[assignment][student]`` is the list of `CellScore` of that submission.
    """
    from nbgrader.api import Gradebook

    api = make_api(course_dir)
    out: dict[str, dict[str, list[CellScore]]] = {}
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        names = [a.name for a in gb.assignments]
        pairs = [(a, s.student.id) for a in names if assignments is None or a in assignments
                 for s in gb.find_assignment(a).submissions]
    for assignment, student in sorted(pairs):
        out.setdefault(assignment, {})[student] = read_scores(course_dir, assignment, student)
    return out


def write_csv(scores: dict[str, dict[str, list[CellScore]]], path: Path, *, per_cell: bool = True) -> Path:
    """Write one row per (student, assignment) with the autograded total and, optionally, each cell.

    Parameters
    ----------
    scores : dict
        As returned by `gradebook_scores`.
    path : Path
        The CSV file to write.
    per_cell : bool
        Add one column per graded cell (``<assignment>:<grade_id>``).

    Returns
    -------
    path : Path
    """
    cell_columns = []
    for assignment, by_student in scores.items():
        for cells in by_student.values():
            for c in cells:
                col = f"{assignment}:{c.grade_id}"
                if col not in cell_columns:
                    cell_columns.append(col)
    header = ["student_id", "assignment", "autograded_score", "autograded_max", "manual_score", "manual_max"]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header + (cell_columns if per_cell else []))
        for assignment, by_student in scores.items():
            for student, cells in sorted(by_student.items()):
                auto = [c for c in cells if c.autograded]
                manual = [c for c in cells if not c.autograded]
                row = [student, assignment, _num(sum(c.score for c in auto)), _num(sum(c.max_score for c in auto)),
                       _num(sum(c.score for c in manual)), _num(sum(c.max_score for c in manual))]
                if per_cell:
                    by_col = {f"{assignment}:{c.grade_id}": _num(c.score) for c in cells}
                    row += [by_col.get(col, "") for col in cell_columns]
                writer.writerow(row)
    return path


def _num(x: float) -> str:
    return f"{x:g}"


def format_table(assignment: str, by_student: dict[str, list[CellScore]]) -> str:
    """A student x test-cell table of autograded scores, for the terminal.

    Parameters
    ----------
    assignment : str
    by_student : dict
        ``student -> list of CellScore``.

    Returns
    -------
    table : str
    """
    columns: list[str] = []
    maxima: dict[str, float] = {}
    for cells in by_student.values():
        for c in cells:
            if c.autograded and c.grade_id not in columns:
                columns.append(c.grade_id)
                maxima[c.grade_id] = c.max_score
    short = [col.removeprefix("test_") for col in columns]
    name_w = max([len("student")] + [len(s) for s in by_student])
    widths = [max(len(s), 4) for s in short]
    lines = [f"{assignment}: autograded points per test cell",
             "  ".join(["student".ljust(name_w)] + [s.rjust(w) for s, w in zip(short, widths)] + ["total".rjust(7)]),
             "  ".join(["(max)".ljust(name_w)] + [_num(maxima[c]).rjust(w) for c, w in zip(columns, widths)]
                       + [_num(sum(maxima.values())).rjust(7)])]
    for student, cells in sorted(by_student.items()):
        got = {c.grade_id: c.score for c in cells if c.autograded}
        row = [student.ljust(name_w)] + [(_num(got[c]) if c in got else "-").rjust(w) for c, w in zip(columns, widths)]
        row.append(_num(sum(got.values())).rjust(7))
        lines.append("  ".join(row))
    return "\n".join(lines)
