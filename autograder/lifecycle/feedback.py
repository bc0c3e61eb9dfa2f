"""Per-student feedback HTML that never shows the hidden tests.

nbgrader's ``generate_feedback`` turns ``autograded/<student>/<assignment>/*.ipynb`` into HTML under
``feedback/``. The autograded notebooks hold the hidden tests (nbgrader restores every test cell from
the gradebook before executing it), so its feedback shows them to the student, both as the cell's
source and in the traceback of a failing test (jupyter/nbgrader#917, #1363). `RedactHiddenTests`
runs before the HTML export and removes them: the hidden region of every cell, and the traceback of
every test cell, which quotes the lines around the failing assert. What stays is what the student
needs: the score of each cell, their own code, the public tests and the failure message a test raised
(the check library writes messages that say what is wrong without printing reference values).

The course's ``nbgrader_config.py`` puts `RedactHiddenTests` into ``GenerateFeedback.preprocessors``, so
plain ``nbgrader generate_feedback`` is safe too; `generate_feedback` adds it in any case.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests

from ..course.config import CourseError, check_assignment, make_api

#: The preprocessors of nbgrader's GenerateFeedback, with the redaction step added before the export.
FEEDBACK_PREPROCESSORS = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "autograder.lifecycle.feedback.RedactHiddenTests",
]

REDACTED_NOTE = "# (hidden tests are not shown)"


class RedactHiddenTests(ClearHiddenTests):
    """Remove hidden tests, and the tracebacks that quote them, from a notebook before it is shown.

    * every code cell loses the region between the hidden-test delimiters (a note marks the place);
    * in autograded test cells, an error output keeps only its last line (``AssertionError: <message>``),
      since IPython's traceback prints the source lines around the failing statement;
    * a test cell whose source nbgrader does not know any more is treated the same way.
    """

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type == "code" and self.begin_test_delimeter in cell.source:
            lines = cell.source.split("\n")
            indent = next((line[: len(line) - len(line.lstrip())] for line in lines
                           if self.begin_test_delimeter in line), "")
            if self._remove_hidden_test_region(cell):
                cell.source = (cell.source.rstrip("\n") + "\n" + indent + REDACTED_NOTE).lstrip("\n")
        if cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = [_last_line(out)]
        return cell, resources


def _last_line(out) -> str:
    ename, evalue = out.get("ename", "Error"), str(out.get("evalue", ""))
    return f"{ename}: {evalue}" if evalue else ename


def generate_feedback(course_dir: Path, assignment: str, students: list[str] | None = None) -> list[Path]:
    """Write the feedback HTML of graded submissions with nbgrader, hidden tests removed.

    Parameters
    ----------
    course_dir : Path
        Course directory with ``autograded/`` (after ``autograder grade``).
    assignment : str
    students : list of str or None
        Only these students (default: every autograded submission).

    Returns
    -------
    files : list of Path
        ``feedback/<student>/<assignment>/<notebook>.html``, one per graded notebook.
    """
    course_dir = Path(course_dir).resolve()
    check_assignment(assignment, course_dir)
    graded = sorted(p.parent.name for p in (course_dir / "autograded").glob(f"*/{assignment}"))
    if students:
        missing = sorted(set(students) - set(graded))
        if missing:
            raise CourseError(f"not graded yet: {', '.join(missing)} (run `autograder grade {assignment}` first)")
        graded = [s for s in graded if s in set(students)]
    if not graded:
        raise CourseError(f"no graded submissions of {assignment} under {course_dir / 'autograded'}: "
                          f"run `autograder grade {assignment}` first")
    api = make_api(course_dir)
    api.config.GenerateFeedback.preprocessors = list(FEEDBACK_PREPROCESSORS)
    files, errors = [], []
    for student in graded:
        outcome = api.generate_feedback(assignment, student, force=True)
        if not outcome.get("success"):
            errors.append(f"{student}: {(outcome.get('error') or outcome.get('log') or '').strip()[-1000:]}")
            continue
        files += sorted((course_dir / "feedback" / student / assignment).glob("*.html"))
    if errors:
        raise CourseError("nbgrader could not write feedback for:\n  " + "\n  ".join(errors))
    return files


def hidden_test_lines(source_nb, public_text: str = "", min_chars: int = 8) -> set[str]:
    """The lines of a notebook's hidden tests that a reader could recognise.

    Parameters
    ----------
    source_nb : NotebookNode
        The instructor's notebook, hidden tests included.
    public_text : str
        Text the student sees anyway (the released notebook): lines found in it are not secret.
    min_chars : int
        Shorter lines (``)``, ``else:``) are too common to count.

    Returns
    -------
    lines : set of str
        Stripped lines.
    """
    pp = ClearHiddenTests()
    public = {line.strip() for line in public_text.splitlines()}
    lines = set()
    for cell in source_nb.cells:
        if cell.cell_type != "code" or pp.begin_test_delimeter not in cell.source:
            continue
        inside = False
        for line in cell.source.splitlines():
            if pp.begin_test_delimeter in line:
                inside = True
            elif pp.end_test_delimeter in line:
                inside = False
            elif inside and len(line.strip()) >= min_chars and line.strip() not in public:
                lines.add(line.strip())
    return lines


def visible_text(html_text: str) -> str:
    """The text a browser shows of an HTML page (tags dropped, entities decoded; code keeps its lines)."""
    import html
    import re

    text = re.sub(r"<(script|style)\b.*?</\1>", "", html_text, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def find_leaks(course_dir: Path, assignment: str, files: list[Path]) -> dict[Path, list[str]]:
    """Hidden-test lines of ``source/<assignment>`` that appear in any of ``files``.

    Parameters
    ----------
    course_dir : Path
    assignment : str
    files : list of Path
        Feedback HTML files.

    Returns
    -------
    leaks : dict
        ``file -> hidden lines found in it``; empty when nothing leaked.
    """
    import nbformat

    course_dir = Path(course_dir)
    secret = set()
    for path in sorted((course_dir / "source" / assignment).glob("*.ipynb")):
        released = course_dir / "release" / assignment / path.name
        public = released.read_text(encoding="utf-8") if released.exists() else ""
        public = "\n".join(c.source for c in nbformat.reads(public, as_version=4).cells) if public else ""
        secret |= hidden_test_lines(nbformat.read(path, as_version=4), public)
    leaks = {}
    for path in files:
        shown = {line.strip() for line in visible_text(Path(path).read_text(encoding="utf-8")).splitlines()}
        found = sorted(line for line in secret if line in shown)
        if found:
            leaks[Path(path)] = found
    return leaks
