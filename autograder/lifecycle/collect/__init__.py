"""``autograder collect``: import an LMS download of submissions into nbgrader's ``submitted/`` layout.

`DESCRIPTION` (the command's ``--help``) says which layouts are recognised and what is reported. Nothing
is extracted to a path taken from the download: each student's notebook is read into memory and written
to ``<course>/submitted/<safe student id>/<assignment>/<assignment notebook>``.

Parts: `download` reads the download into memory (folders, zips, zips in entries), `students` tells whose
each entry is (LMS naming schemes, ``--pattern``, the roster); this module picks each student's notebook,
writes it and reports.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import shutil
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ...course.config import CourseError, check_assignment
from .download import MAX_BYTES, READ_ERRORS, _dir_files, _expand, _File, _junk, _zip_files
from .students import _compile, _Entry, _parse, _src, _students, _unwrap, load_roster, safe_id

__all__ = ["MAX_BYTES", "CollectReport", "collect", "format_report", "load_roster", "register", "safe_id"]

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
    from ...audit.samples import notebook_name

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
