"""``autograder report``: an instructor's view of one assignment after ``autograder grade``.

Writes ``report.html`` (self-contained: the plots are embedded PNG images) and ``report.csv`` (one row
per student) from the gradebook (through `autograder.lifecycle.export.gradebook_scores`), the engine's ledger
(``.autograder/graded.jsonl``: status and reasons of each submission) and its grade log
(``.autograder/grade-log.jsonl``: timings per notebook). The ledger and the log are optional: the
sequential engine writes neither.
"""

from __future__ import annotations

import csv
import html
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from ..course.config import CourseError, check_assignment, make_api
from ..engine.ledger import Ledger, grade_log

NOT_GRADED = "not graded"
#: Timing fields of a grade-log record shown in the page, with their column titles.
TIMINGS = (("queue_wait_s", "queue wait"), ("kernel_start_s", "kernel start"), ("execution_s", "execution"),
           ("scoring_s", "scoring"), ("total_s", "total"))
SLOWEST = 10


@dataclass
class StudentRow:
    """One student of the report."""

    student: str
    status: str                                              #: graded, limit, failed or "not graded"
    cells: dict[str, float] = field(default_factory=dict)    #: grade_id -> autograded score
    problems: list[str] = field(default_factory=list)        #: why the instructor should look at it

    @property
    def total(self) -> float | None:
        """Autograded total, ``None`` when the gradebook has no grade."""
        return sum(self.cells.values()) if self.status != NOT_GRADED else None


@dataclass
class ReportData:
    """Everything the report shows, gathered from the course directory."""

    assignment: str
    cells: list[str]                                         #: autograded cells, in notebook order
    cell_max: dict[str, float]
    rows: list[StudentRow]                                   #: sorted by student id
    timings: list[dict] | None                               #: latest grade-log record per notebook; None: no log
    log_path: Path

    @property
    def graded(self) -> list[StudentRow]:
        """Rows of the students the gradebook holds a grade for."""
        return [r for r in self.rows if r.status != NOT_GRADED]

    @property
    def max_total(self) -> float:
        """Autograded points available."""
        return sum(self.cell_max.values())

    def pass_rate(self, cell: str) -> float:
        """Fraction of graded students with full points on a cell."""
        graded = self.graded
        full = sum(r.cells.get(cell, 0.0) >= self.cell_max[cell] for r in graded)
        return full / len(graded) if graded else 0.0


def collect(course_dir: Path, assignment: str) -> ReportData:
    """Gather the scores, statuses, problems and timings of one assignment.

    Parameters
    ----------
    course_dir : Path
    assignment : str

    Returns
    -------
    data : ReportData

    Raises
    ------
    CourseError
        The assignment does not exist, or nothing of it has been graded.
    """
    from .export import gradebook_scores  # nbgrader: imported only when a report is made
    from ..course.gradebook import find_submissions

    course_dir = Path(course_dir).resolve()
    check_assignment(assignment, course_dir)
    db_url = make_api(course_dir).coursedir.db_url
    if db_url.startswith("sqlite:///") and not Path(db_url.removeprefix("sqlite:///")).exists():
        scores = {}  # do not let nbgrader create an empty gradebook just to find it empty
    else:
        scores = gradebook_scores(course_dir, [assignment]).get(assignment, {})
    if not scores:
        raise CourseError(f"nothing of {assignment} is graded in {course_dir}: run "
                          f"`autograder grade {assignment}` first")
    cells: list[str] = []
    cell_max: dict[str, float] = {}
    for student_cells in scores.values():
        for c in student_cells:
            if c.autograded and c.grade_id not in cell_max:
                cells.append(c.grade_id)
            if c.autograded:
                cell_max[c.grade_id] = max(cell_max.get(c.grade_id, 0.0), c.max_score)
    latest = Ledger(course_dir).latest(assignment)
    log = grade_log(course_dir)
    records = [r for r in log.records() if r.get("assignment") == assignment and "student" in r]
    last_log: dict[str, dict] = {}
    per_notebook: dict[tuple[str, str], dict] = {}
    for r in records:
        last_log[r["student"]] = r
        per_notebook[(r["student"], str(r.get("notebook")))] = r
    changed = _changed_since_graded(course_dir, assignment, latest)
    rows = []
    for student in sorted(set(scores) | set(find_submissions(course_dir, assignment))):
        done = latest.get(student, {})
        if student in scores:
            row = StudentRow(student, done.get("status") or "graded",
                             {c.grade_id: c.score for c in scores[student] if c.autograded})
            row.problems += [str(x) for x in done.get("reasons") or []]
        else:
            row = StudentRow(student, NOT_GRADED, problems=[
                f"submitted, but the gradebook has no grade: run `autograder grade {assignment}`"])
        ran = last_log.get(student)
        if ran and ran.get("status") == "error" and (ran.get("time") or 0) > (done.get("imported_at") or 0):
            note = "" if row.status == NOT_GRADED else " (the grade shown is from an earlier run)"
            row.problems.append(f"the latest run could not grade it{note}: {ran.get('reason') or 'error'}")
        if student in changed and row.status != NOT_GRADED:
            row.problems.append("the submission, the source or the configuration changed after grading: "
                                f"run `autograder grade {assignment}`")
        rows.append(row)
    timings = sorted(per_notebook.values(), key=lambda r: (r["student"], str(r.get("notebook")))) \
        if log.path.exists() else None
    return ReportData(assignment, cells, cell_max, rows, timings, log.path)


def _changed_since_graded(course_dir: Path, assignment: str, latest: dict[str, dict]) -> set[str]:
    """Students whose ledger key no longer matches their submission (and the current source and config)."""
    if not latest:
        return set()
    from ..engine.jobs import config_file, content_key, read_tree

    config = config_file(course_dir).read_bytes()
    source = read_tree(course_dir / "source" / assignment)
    out = set()
    for student, done in latest.items():
        sub = course_dir / "submitted" / student / assignment
        if sub.is_dir() and done.get("key") and content_key(config, source, read_tree(sub), done.get("grading", "")) != done["key"]:
            out.add(student)
    return out


def write_report_csv(data: ReportData, path: Path) -> Path:
    """Write one row per student: id, autograded total and max, status, problems and each cell's score.

    Parameters
    ----------
    data : ReportData
    path : Path

    Returns
    -------
    path : Path
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student_id", "autograded_score", "autograded_max", "status", "problems", *data.cells])
        for r in data.rows:
            graded = r.total is not None
            writer.writerow([r.student, _num(r.total) if graded else "", _num(data.max_total), r.status,
                             "; ".join(r.problems),
                             *[(_num(r.cells[c]) if c in r.cells else "") if graded else "" for c in data.cells]])
    return path


def render_html(data: ReportData) -> str:
    """The report page: summary, plots and tables; every string from the course is escaped.

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    page : str
        A self-contained HTML document.
    """
    from . import report_plots

    e = html.escape
    totals = [r.total for r in data.graded]
    rates = [data.pass_rate(c) for c in data.cells]
    parts = [f"<h1>{e(data.assignment)}: autograding report</h1>", "<h2>Summary</h2>", "<table class='kv'>",
             _tr(["students graded", f"{len(totals)}"], header_first=True)]
    if totals:
        for label, value in (("mean", statistics.mean(totals)), ("median", statistics.median(totals)),
                             ("min", min(totals)), ("max", max(totals))):
            parts.append(_tr([f"{label} autograded total", f"{value:.4g} / {_num(data.max_total)}"],
                             header_first=True))
    not_graded = sum(r.status == NOT_GRADED for r in data.rows)
    if not_graded:
        parts.append(_tr(["submitted, not graded", str(not_graded)], header_first=True))
    parts.append("</table>")
    parts += ["<h2>Autograded totals</h2>",
              _img(report_plots.totals_histogram(totals, data.max_total), "histogram of autograded totals")]
    parts += ["<h2>Pass rate per test cell</h2>",
              "<p>Fraction of the graded students with full points on each autograded cell, in notebook order: "
              "a low rate points at a concept the class struggles with.</p>",
              _img(report_plots.pass_rate_bars(data.cells, rates), "pass rate per test cell"),
              "<table><tr><th>cell</th><th>points</th><th>full points</th><th>pass rate</th><th>mean score</th></tr>"]
    n = len(data.graded)
    for cell, rate in zip(data.cells, rates):
        mean = statistics.mean(r.cells.get(cell, 0.0) for r in data.graded) if n else 0.0
        parts.append(_tr([cell, _num(data.cell_max[cell]), f"{round(rate * n)} / {n}", f"{100 * rate:.0f}%",
                          f"{mean:.3g}"], cls="low" if rate < 0.5 else ""))
    parts.append("</table>")
    parts += ["<h2>Time per notebook</h2>", *_timing_section(data)]
    parts.append("<h2>Students with a problem</h2>")
    problems = [r for r in data.rows if r.status != "graded" or r.problems]
    if problems:
        parts.append("<table><tr><th>student</th><th>status</th><th>autograded total</th><th>reason</th></tr>")
        for r in problems:
            total = "&ndash;" if r.total is None else e(_num(r.total))
            reasons = "<br>".join(e(p) for p in r.problems) or "&ndash;"
            parts.append(f"<tr class='low'><td>{e(r.student)}</td><td>{e(r.status)}</td><td>{total}</td>"
                         f"<td>{reasons}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>None: every submission was graded without hitting a limit.</p>")
    return _PAGE.format(title=e(f"{data.assignment}: autograding report"), body="\n".join(parts))


def _timing_section(data: ReportData) -> list[str]:
    from . import report_plots

    e = html.escape
    if data.timings is None:
        return [f"<p class='note'>No grade log ({e(str(data.log_path))}): the submissions were graded with the "
                "sequential engine (<code>--sequential</code> or <code>--workers 0</code>), which records no "
                "timings. Grade with the parallel engine to see them.</p>"]
    ok = [r["execution_s"] for r in data.timings
          if r.get("execution_s") is not None and r.get("status") == "graded"]
    bad = [r["execution_s"] for r in data.timings
           if r.get("execution_s") is not None and r.get("status") != "graded"]
    out = [f"<p>Latest run of each notebook, from {e(str(data.log_path))}.</p>",
           _img(report_plots.time_histogram(ok, bad), "histogram of execution time per notebook")]
    slowest = sorted(data.timings, key=lambda r: -(r.get("execution_s") or 0))[:SLOWEST]
    out.append(f"<p>The {len(slowest)} notebooks that ran longest (seconds; <i>total</i> is from handing the "
               "submission to Dask to recording its grade):</p><table><tr><th>student</th>"
               "<th>notebook</th><th>status</th>" + "".join(f"<th>{t}</th>" for _, t in TIMINGS) + "</tr>")
    for r in slowest:
        secs = [("&ndash;" if r.get(k) is None else f"{r[k]:.2f}") for k, _ in TIMINGS]
        out.append(f"<tr><td>{e(str(r['student']))}</td><td>{e(str(r.get('notebook')))}</td>"
                   f"<td>{e(str(r.get('status')))}</td>" + "".join(f"<td>{s}</td>" for s in secs) + "</tr>")
    out.append("</table>")
    return out


def _tr(values: list[str], *, header_first: bool = False, cls: str = "") -> str:
    cells = [f"<th>{html.escape(v)}</th>" if header_first and i == 0 else f"<td>{html.escape(v)}</td>"
             for i, v in enumerate(values)]
    return f"<tr class='{cls}'>" + "".join(cells) + "</tr>" if cls else "<tr>" + "".join(cells) + "</tr>"


def _num(x: float) -> str:
    return f"{x:g}"


def _img(png: str, alt: str) -> str:
    return f"<img alt='{html.escape(alt)}' src='data:image/png;base64,{png}'>"


_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em auto; max-width: 60em; color: #222; }}
table {{ border-collapse: collapse; margin: 0.5em 0 1.5em; }}
th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }}
tr.low td {{ background: #fbeaea; }}
.note {{ background: #fff6d6; padding: 0.5em; }}
img {{ max-width: 100%; }}
</style></head>
<body>
{body}
</body></html>
"""


def write_report(course_dir: Path, assignment: str, out_dir: Path | None = None) -> tuple[Path, Path]:
    """Write ``report.html`` and ``report.csv`` of one assignment.

    Parameters
    ----------
    course_dir : Path
    assignment : str
    out_dir : Path or None
        Where to write (default: ``<course_dir>/reports/<assignment>``).

    Returns
    -------
    html_path, csv_path : Path
    """
    course_dir = Path(course_dir).resolve()
    data = collect(course_dir, assignment)
    out_dir = Path(out_dir) if out_dir is not None else course_dir / "reports" / assignment
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / "report.html"
    html_path.write_text(render_html(data), encoding="utf-8")
    return html_path, write_report_csv(data, out_dir / "report.csv")


def cmd_report(args) -> int:
    """``autograder report``: write the report and print the paths written."""
    paths = write_report(Path(args.course_dir), args.assignment, Path(args.output) if args.output else None)
    for path in paths:
        print(f"wrote {path}")
    return 0


def register(sub) -> None:
    """Add the ``report`` subcommand.

    Parameters
    ----------
    sub : argparse._SubParsersAction
        The subparsers of the ``autograder`` parser.
    """
    p = sub.add_parser("report", help="HTML and CSV report of a graded assignment",
                       description="Write an instructor's report of one graded assignment: report.html (summary, "
                       "histogram of autograded totals, pass rate per test cell, time per notebook from "
                       "<course>/.autograder/grade-log.jsonl, students with a problem and why) and report.csv "
                       "(one row per student: total, status, problems, score per cell). Run `autograder grade` "
                       "first.",
                       epilog="example: autograder report a2_mlp_mnist -o reports/a2")
    p.add_argument("assignment")
    p.add_argument("-o", "--output", metavar="DIR", help="output directory (default: <course>/reports/<assignment>)")
    p.add_argument("--course-dir", default=".", help="course directory (default: current directory)")
    p.set_defaults(func=cmd_report)
