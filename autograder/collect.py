"""``autograder collect``: import an LMS download of submissions into nbgrader's ``submitted/`` layout.

`DESCRIPTION` (the command's ``--help``) says which layouts are recognised and what is reported. Nothing
is extracted to a path taken from the download: each student's notebook is read into memory and written
to ``<course>/submitted/<safe student id>/<assignment>/<assignment notebook>``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import re
import shutil
import stat
import time
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Callable

from .course import CourseError, check_assignment

DESCRIPTION = """\
Import a learning-management-system download of student submissions into nbgrader's layout
<course>/submitted/<student>/<assignment>/<notebook>.ipynb and report what could not be matched.

PATH is a folder or a .zip (a single folder wrapping the whole download is unwrapped) with one entry
per student: a notebook, a folder or a zip (zips in an entry are opened, one level deep), named:
  Canvas      <lastnamefirstname>_<userid>_<submissionid>_<file>  (also ..._LATE_<userid>_...)
  Moodle      <Full Name>_<id>_assignsubmission_file_/<file>      (or flat: ..._file_<file>)
  Blackboard  <Assignment>_<username>_attempt_<YYYY-MM-DD-hh-mm-ss>_<file>
  plain       <student>/...   <student>.ipynb   <student>.zip
or from --pattern, a regular expression with a group (?P<student>...) searched in each entry name.
The student id is that name made a safe directory name (ASCII letters, digits and _ . @ + -; Moodle's
"Ada Lovelace" becomes Ada_Lovelace), or, with --roster, the student_id of the roster row whose lms_id
is the entry's LMS id: Canvas and Moodle user id number or name, Blackboard username, otherwise the name.
The roster is a CSV file with a header line naming the columns lms_id and student_id (any order, any
case, other columns ignored); entries not in it are reported and not imported.

Only notebooks are imported: the one named like the assignment's, else the student's only notebook
under any name (renamed; the report says so). Other files are listed, not copied. __MACOSX/,
.ipynb_checkpoints/ and dotfiles are ignored; absolute paths, .. and symbolic links are refused.
Reported without stopping the rest: unknown students, no notebook, several notebooks, a second
submission of a student (the latest is kept: Canvas submission id, Blackboard attempt time, else file
time), two LMS users who would get the same id (neither is imported; use --roster), corrupt zips,
notebooks that are not JSON (imported anyway). An existing, different
submitted/<student>/<assignment>/ is kept and reported; --force moves it to
<course>/.autograder/collect-backup/<time>/ and imports the new one. The report is also written to
<course>/.autograder/collect-<assignment>-<time>.json. Exit status: 0 when everything was matched,
1 when there were problems (what matched is imported), 2 on bad arguments.
"""

#: Files larger than this (bytes) are refused (a notebook with many plots is a few tens of MB).
MAX_BYTES = 256 * 2**20
JUNK = {"__MACOSX", "__pycache__", "Thumbs.db", "desktop.ini"}
ROSTER_COLUMNS = ("lms_id", "student_id")
#: What reading a file of the download can raise (corrupt or encrypted zips, vanished files).
READ_ERRORS = (OSError, ValueError, EOFError, RuntimeError, NotImplementedError, zipfile.BadZipFile, zlib.error)
SCHEMES = {  # tried in this order, on the whole name of a top-level entry
    "moodle": re.compile(r"(?P<name>.+?)_(?P<user>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?P<file>.*)"),
    "blackboard": re.compile(r"(?P<assign>.+)_(?P<name>[^_]+)_attempt_(?P<stamp>\d{4}(?:-\d\d){5})"
                             r"(?:_(?P<file>.+)|\.txt)?"),
    "canvas": re.compile(r"(?P<name>[^_]+?)(?:_late)?_(?P<user>\d+)_(?P<sub>\d+)_(?P<file>.+)", re.I),
}


@dataclass
class _File:
    parts: tuple[str, ...]  # path relative to PATH; parts[0] is the student's entry
    read: Callable[[], bytes] | None = None  # None for errors
    mtime: float = 0.0
    error: tuple[str, str] | None = None  # (kind, reason)
    name: str | None = None  # original file name (flat LMS entries)

    @property
    def base(self) -> str:
        return self.name or self.parts[-1]

    @property
    def path(self) -> str:
        return "/".join(self.parts)


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


@dataclass
class CollectReport:
    """What `collect` imported (``imported``) and what it could not (``problems``), as written to JSON."""

    assignment: str
    source: str
    course_dir: str
    notebook: str
    dry_run: bool = False
    force: bool = False
    imported: list[dict] = field(default_factory=list)  # student, source, target, notes
    problems: list[dict] = field(default_factory=list)  # student (or None), source, kind, reason
    report_path: str | None = None  # where it was written (not in the JSON)

    @property
    def status(self) -> int:
        """Exit status: 0 when everything was matched, 1 when there were problems."""
        return 1 if self.problems else 0

    def problem(self, student: str | None, source: str, kind: str, reason: str) -> None:
        self.problems.append({"student": student, "source": source, "kind": kind, "reason": reason})


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


def _junk(f: _File) -> bool:
    parts = f.parts[:-1] if f.error and f.error[0] == "unsafe-path" else f.parts
    return any(p in JUNK or p.startswith(".") for p in parts)


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    with zf.open(info) as member:
        data = member.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValueError(f"larger than {MAX_BYTES} bytes")
    return data


def _zip_files(zf: zipfile.ZipFile, prefix: tuple[str, ...] = ()) -> list[_File]:
    """The files of a zip; unsafe entries (absolute, ``..``, symbolic links) come back as errors."""
    out = []
    for info in zf.infolist():
        name = info.filename.replace("\\", "/")
        parts = tuple(p for p in name.split("/") if p not in ("", "."))
        if info.is_dir() or not parts:
            continue
        if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in parts:
            out.append(_File(prefix + (info.filename,), error=("unsafe-path", f"zip entry {info.filename!r} "
                             "points outside the folder it would be extracted to; not extracted")))
        elif stat.S_ISLNK(info.external_attr >> 16):
            out.append(_File(prefix + parts, error=("symlink", "symbolic link in the zip; not followed")))
        elif info.file_size > MAX_BYTES:
            out.append(_File(prefix + parts, error=("too-large", f"{info.file_size} bytes; not read")))
        else:
            mtime = time.mktime(info.date_time + (0, 0, -1))
            out.append(_File(prefix + parts, lambda i=info: _read_member(zf, i), mtime))
    return out


def _dir_files(root: Path) -> list[_File]:
    """The files under a folder, without following symbolic links (they come back as errors)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        here = Path(dirpath)
        rel = here.relative_to(root).parts
        for name in sorted(dirnames + filenames):
            p = here / name
            if p.is_symlink():
                out.append(_File(rel + (name,), error=("symlink", "symbolic link; not followed")))
            elif name in filenames:
                size, mtime = p.stat().st_size, p.stat().st_mtime
                error = ("too-large", f"{size} bytes; not read") if size > MAX_BYTES else None
                out.append(_File(rel + (name,), p.read_bytes, mtime, error))
        dirnames[:] = [d for d in dirnames if not (here / d).is_symlink()]
    return out


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


def _expand(f: _File) -> list[_File]:
    """A student's zip becomes its files (zips in it are not opened); other files stay as they are."""
    if f.error or not f.base.lower().endswith(".zip"):
        return [f]
    try:
        zf = zipfile.ZipFile(io.BytesIO(f.read()))
        return [g for g in _zip_files(zf, f.parts) if not _junk(g)]
    except READ_ERRORS as exc:
        return [replace(f, error=("corrupt-zip", f"cannot open the zip: {exc}"))]


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


def _import(sid: str, entries: list[_Entry], report: CollectReport, course: Path, stamp: str) -> None:
    """Pick the notebook of one student's submission and write it (unless dry run)."""
    src = _src(entries)
    files = [g for e in entries for f in e.files for g in _expand(f)]
    reported = len(report.problems)
    for f in files:
        if f.error:
            report.problem(sid, f.path, *f.error)
    files = [f for f in files if not f.error]
    notebooks = [f for f in files if f.base.lower().endswith(".ipynb")]
    exact = [f for f in notebooks if f.base == report.notebook]
    if len(exact) == 1 or len(notebooks) == 1:
        chosen = exact[0] if len(exact) == 1 else notebooks[0]
    else:
        if notebooks:
            report.problem(sid, src, "several-notebooks", f"{len(notebooks)} notebooks, "
                           f"{'more than one' if exact else 'none'} named {report.notebook}: "
                           f"{', '.join(f.path for f in notebooks)}; none imported")
        elif len(report.problems) == reported:
            found = f" (found: {', '.join(f.path for f in files)})" if files else ""
            report.problem(sid, src, "no-notebook", f"no .ipynb file{found}")
        return
    try:
        data = chosen.read()
    except READ_ERRORS as exc:
        report.problem(sid, chosen.path, "unreadable", f"cannot read: {exc}")
        return
    notes = [f"renamed {chosen.base} -> {report.notebook}"] if chosen.base != report.notebook else []
    others = [f.path for f in files if f is not chosen]
    if others:
        notes.append("not imported (only the notebook is): " + ", ".join(others))
    submitted = course / "submitted"
    target_dir = submitted / sid / report.assignment
    target = target_dir / report.notebook
    if submitted.resolve() not in target_dir.resolve().parents:
        report.problem(sid, chosen.path, "unsafe-path", f"{target_dir} resolves outside {submitted}; not written")
        return
    write, backup = True, None
    if target_dir.exists() or target_dir.is_symlink():
        if target.is_file() and target.read_bytes() == data:
            notes.append("already imported (identical)")
            write = False
        elif not report.force:
            report.problem(sid, chosen.path, "exists", f"{target_dir.relative_to(course)}/ exists and differs; "
                           "kept (--force moves it to .autograder/collect-backup/ and imports this one)")
            return
        else:
            backup = course / ".autograder" / "collect-backup" / stamp / sid / report.assignment
            notes.append(f"previous version moved to {backup.relative_to(course)}/")
    try:
        if write and not report.dry_run:
            if backup is not None:
                backup.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(str(target_dir), str(backup))
            target_dir.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except OSError as exc:
        report.problem(sid, chosen.path, "write-failed", f"cannot write {target}: {exc}")
        return
    report.imported.append({"student": sid, "source": chosen.path, "target": str(target.relative_to(course)),
                            "notes": notes})
    try:
        json.loads(data.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError too
        report.problem(sid, chosen.path, "invalid-json", "not a valid notebook (not JSON); imported anyway, "
                       "the grader will record it as invalid")


def collect(assignment: str, path: Path, course_dir: Path = Path("."), *, dry_run: bool = False,
            force: bool = False, roster: Path | None = None, pattern: str | None = None) -> CollectReport:
    """Import an LMS download of submissions into ``<course_dir>/submitted/<student>/<assignment>/``.

    Parameters
    ----------
    assignment : str
        Assignment name (a directory under ``<course_dir>/source``).
    path : Path
        The download: a folder or a .zip (see `DESCRIPTION` for the layouts).
    course_dir : Path
        The course directory.
    dry_run : bool
        Decide everything, write nothing (not even the JSON report).
    force : bool
        Replace an existing, different submission, after moving it to ``.autograder/collect-backup/``.
    roster : Path or None
        CSV with columns ``lms_id`` and ``student_id`` (see `load_roster`).
    pattern : str or None
        Regular expression with a named group ``student``, searched in each top-level entry's name,
        instead of the LMS layouts.

    Returns
    -------
    report : CollectReport
        What was imported and the problems; ``report.status`` is the exit status.
    """
    from .samples import notebook_name

    course = Path(course_dir).resolve()
    check_assignment(assignment, course)
    try:
        expected = notebook_name(assignment, course)
    except ValueError as exc:
        raise CourseError(str(exc)) from None
    rx = _compile(pattern)
    mapping = load_roster(roster) if roster is not None else None
    path = Path(path).expanduser().resolve()
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    report = CollectReport(assignment, str(path), str(course), expected, dry_run, force)
    with contextlib.ExitStack() as stack:
        if path.is_dir():
            files = _dir_files(path)
        elif path.is_file():
            try:
                files = _zip_files(stack.enter_context(zipfile.ZipFile(path)))
            except (zipfile.BadZipFile, OSError) as exc:
                raise CourseError(f"{path} is not a readable zip: {exc}") from None
        else:
            raise CourseError(f"{path} is neither a folder nor a .zip file")
        for f in files:  # unsafe names and links at the top: nobody's entry
            if f.error and len(f.parts) == 1:
                report.problem(None, f.path, *f.error)
        by_name: dict[str, list[_File]] = {}
        for f in _unwrap([f for f in files if not _junk(f) and not (f.error and len(f.parts) == 1)], rx):
            by_name.setdefault(f.parts[0], []).append(f)
        students = _students([_parse(name, fs, rx) for name, fs in by_name.items()], mapping, rx, report)
        for sid in sorted(students):
            subs = list(students[sid].values())
            users = sorted({e.user for entries in subs for e in entries})
            if len(subs) > 1 and mapping is None and len(users) > 1:
                for entries in subs:
                    report.problem(sid, _src(entries), "ambiguous-student", f"{len(users)} LMS users "
                                   f"({', '.join(users)}) would be student {sid}; tell them apart with --roster; "
                                   "not imported")
                continue
            kept = max(subs, key=lambda entries: (max(e.order for e in entries), max(
                (f.mtime for e in entries for f in e.files), default=0.0), _src(entries)))
            for entries in subs:
                if entries is not kept:
                    report.problem(sid, _src(entries), "duplicate", f"an older submission of {sid}; kept "
                                   f"{_src(kept)} (the latest); not imported")
            _import(sid, kept, report, course, stamp)
    if not dry_run:
        out = course / ".autograder" / f"collect-{assignment}-{stamp}.json"
        n = 1
        while out.exists():
            n += 1
            out = out.with_name(f"collect-{assignment}-{stamp}-{n}.json")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({k: v for k, v in vars(report).items() if k != "report_path"}, indent=1) + "\n", encoding="utf-8")
        report.report_path = str(out)
    return report


def format_report(report: CollectReport) -> str:
    """The table ``student <- source entry`` of what was imported, then the problems.

    Parameters
    ----------
    report : CollectReport

    Returns
    -------
    text : str
    """
    verb = "would import" if report.dry_run else "imported"
    lines = [f"{report.assignment}: {verb} {len(report.imported)} submission(s) into "
             f"{Path(report.course_dir) / 'submitted'}" + (" (dry run: nothing written)" if report.dry_run else "")]
    rows = [("student", "source entry", "")] + [(r["student"], r["source"], "; ".join(r["notes"]))
                                                 for r in report.imported]
    width = max(len(r[0]) for r in rows)
    lines += [f"  {s:<{width}} <- {src}" + (f"   [{notes}]" if notes else "") for s, src, notes in rows]
    if report.problems:
        lines.append(f"\n{len(report.problems)} problem(s):")
        lines += [f"  {p['student'] or '?'}: {p['kind']}: {p['source']}: {p['reason']}" for p in report.problems]
    if report.report_path:
        lines.append(f"\nreport: {report.report_path}")
    return "\n".join(lines)


def cmd_collect(args) -> int:
    """Run ``autograder collect`` (see `DESCRIPTION`)."""
    report = collect(args.assignment, Path(args.path), Path(args.course_dir), dry_run=args.dry_run,
                     force=args.force, roster=args.roster, pattern=args.pattern)
    print(format_report(report))
    return report.status


def register(sub) -> None:
    """Add the ``collect`` command to the ``autograder`` command line.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The sub-command parsers of ``autograder``.

    Returns
    -------
    None
    """
    p = sub.add_parser("collect", help="import an LMS download of submissions into submitted/",
                       description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="example: autograder collect a2_mlp_mnist ~/Downloads/submissions.zip --dry-run")
    p.add_argument("assignment", help="assignment name (a directory under source/)")
    p.add_argument("path", help="the LMS download: a folder or a .zip")
    p.add_argument("--course-dir", default=".", help="course directory (default: current directory)")
    p.add_argument("--dry-run", action="store_true", help="show what would be imported; write nothing")
    p.add_argument("--force", action="store_true", help="replace existing, different submissions (the old "
                   "ones are moved to <course>/.autograder/collect-backup/<time>/)")
    p.add_argument("--roster", type=Path, metavar="CSV", help="map LMS ids to student ids: a CSV with the "
                   "header columns lms_id,student_id")
    p.add_argument("--pattern", metavar="REGEX", help="find the student in each entry name with this regular "
                   "expression's group (?P<student>...) instead of the LMS layouts")
    p.set_defaults(func=cmd_collect)
