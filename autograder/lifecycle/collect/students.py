"""Whose submission an entry of the download is: the LMS naming schemes, --pattern, the roster."""

from __future__ import annotations

import csv
import io
import re
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ...course.config import CourseError
from .download import _File

if TYPE_CHECKING:
    from . import CollectReport


ROSTER_COLUMNS = ("lms_id", "student_id")


SCHEMES = {  # tried in this order, on the whole name of a top-level entry
    "moodle": re.compile(r"(?P<name>.+?)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.*)"),
    "blackboard": re.compile(r"(?P<assign>.+)_(?P<name>[^_]+)_attempt_(?P<stamp>\d{4}(?:-\d\d){5})"
                             r"(?:_(?P<file>.+)|\.txt)?"),
    "canvas": re.compile(r"(?P<name>[^_]+?)(?:_late)?_(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)", re.I),
}


@dataclass
class _Entry:
    name: str
    files: list[_File]
    raw: str | None = None  # the student as the LMS names them
    keys: tuple[str, ...] = ()  # roster look-up keys, in order
    user: str | None = None
    sub: tuple = ()  # entries with equal `sub` are one submission
    order: float = 0.0

    @property
    def src(self) -> str:
        return self.name + ("/" if any(len(f.parts) > 1 for f in self.files) else "")


def safe_id(raw: str) -> str | None:
    """Turn a name from the LMS into a student id that is a safe directory name.

    Parameters
    ----------
    raw : str
        e.g. ``"Zoë O'Brien"`` or ``"../x"``.

    Returns
    -------
    student_id : str or None
        ASCII letters, digits and ``_ . @ + -``, no ``..``, not starting with a dot (``Zoe_O_Brien``,
        ``x``); None when nothing usable is left.
    """
    text = unicodedata.normalize("NFKD", raw).encode("ascii", "ignore").decode()
    text = re.sub(r"\.{2,}", ".", re.sub(r"[^A-Za-z0-9_.@+-]+", "_", text))
    return text.strip("._-") or None


def load_roster(path: Path) -> dict[str, str]:
    """Read a roster CSV mapping LMS ids to nbgrader student ids.

    Parameters
    ----------
    path : Path
        CSV file with a header line naming the columns ``lms_id`` and ``student_id`` (any order and case;
        other columns are ignored; blank lines skipped).

    Returns
    -------
    roster : dict
        ``lms_id.casefold() -> student_id``.
    """
    path = Path(path)
    try:
        reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise CourseError(f"cannot read the roster {path}: {exc}") from None
    if not set(ROSTER_COLUMNS) <= set(reader.fieldnames):
        raise CourseError(f"{path}: the roster's header line must name the columns lms_id,student_id "
                          f"(found: {','.join(reader.fieldnames) or 'nothing'})")
    roster: dict[str, str] = {}
    for row in reader:
        lms, sid = ((row.get(c) or "").strip() for c in ROSTER_COLUMNS)
        where = f"{path}:{reader.line_num}"
        if not (lms or sid):
            continue
        if not (lms and sid):
            raise CourseError(f"{where}: lms_id and student_id must both be given")
        if safe_id(sid) != sid:
            raise CourseError(f"{where}: student_id {sid!r} is not a safe directory name (e.g. {safe_id(sid)!r})")
        if roster.setdefault(lms.casefold(), sid) != sid:
            raise CourseError(f"{where}: lms_id {lms!r} is given two student ids")
    return roster


def _unwrap(files: list[_File], rx: re.Pattern | None) -> list[_File]:
    """Drop folders that wrap the whole download (``submissions/...``)."""
    def lms_named(name):
        return bool(rx.search(name)) if rx else any(regex.fullmatch(name) for regex in SCHEMES.values())

    while files and len({f.parts[0] for f in files}) == 1 and all(len(f.parts) > 1 for f in files):
        children: dict[str, bool] = {}  # name -> is it a folder or a zip
        for f in files:
            c = f.parts[1]
            children[c] = children.get(c) or len(f.parts) > 2 or c.lower().endswith(".zip")
        named = not lms_named(files[0].parts[0]) and any(map(lms_named, children))
        if not (named or (len(children) > 1 and all(children.values()))):
            break
        files = [replace(f, parts=f.parts[1:]) for f in files]
    return files


def _parse(name: str, files: list[_File], rx: re.Pattern | None) -> _Entry:
    """Whose entry this is: fills in ``raw`` (None: unknown), ``keys``, ``user``, ``sub`` and ``order``."""
    entry = _Entry(name, files)
    flat = len(files) == 1 and len(files[0].parts) == 1
    if rx is not None:
        m = rx.search(name)
        if m and m.group("student"):
            entry.raw = entry.user = m.group("student")
            entry.keys, entry.sub = (entry.raw,), ("pattern", name)
        return entry
    for scheme, regex in SCHEMES.items():
        m = regex.fullmatch(name)
        if m:
            g = m.groupdict()
            entry.raw, entry.user = g["name"], g.get("user") or g["name"]
            entry.keys = tuple(dict.fromkeys((entry.user, entry.raw)))
            entry.sub = (scheme, entry.user, g.get("sub") or g.get("stamp"))
            if scheme == "canvas":
                entry.order = float(g["sub"])
            elif scheme == "blackboard":
                entry.order = time.mktime(time.strptime(g["stamp"], "%Y-%m-%d-%H-%M-%S"))
                if flat and not g["file"]:
                    entry.files = []  # the attempt's .txt receipt
            if flat and g.get("file"):
                entry.files = [replace(files[0], name=g["file"])]
            return entry
    if not flat or name.lower().endswith((".ipynb", ".zip")):
        entry.raw = entry.user = name.rsplit(".", 1)[0] if flat else name
        entry.keys, entry.sub = (entry.raw,), ("plain", name)
    return entry


def _src(entries: list[_Entry]) -> str:
    return ", ".join(e.src for e in entries)


def _compile(pattern: str | None) -> re.Pattern | None:
    if pattern is None:
        return None
    try:
        rx = re.compile(pattern)
    except re.error as exc:
        raise CourseError(f"--pattern {pattern!r}: {exc}") from None
    if "student" not in rx.groupindex:
        raise CourseError("--pattern needs a named group for the student, e.g. '^(?P<student>[^_]+)_'")
    return rx


def _students(entries: list[_Entry], mapping: dict | None, rx, report: CollectReport) -> dict[str, dict]:
    """``student id -> {submission key -> entries}``; entries without a student are reported."""
    students: dict[str, dict[tuple, list[_Entry]]] = {}
    for e in entries:
        sid = None
        if e.raw is None:
            report.problem(None, e.src, "unknown-student", "cannot tell whose submission this is: the name "
                           + ("does not match --pattern" if rx else "matches no known LMS layout"))
        elif mapping is not None:
            sid = next((mapping[k.casefold()] for k in e.keys if k.casefold() in mapping), None)
            if sid is None:
                report.problem(e.raw, e.src, "not-in-roster", f"no roster row with lms_id {' or '.join(e.keys)}")
        elif (sid := safe_id(e.raw)) is None:
            report.problem(None, e.src, "unknown-student", f"no usable student id in {e.raw!r}")
        if sid is not None:
            students.setdefault(sid, {}).setdefault(e.sub, []).append(e)
    return students
