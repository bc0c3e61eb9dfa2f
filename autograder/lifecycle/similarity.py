"""``autograder similarity``: which submissions of an assignment share their answer code.

Only the answer cells are compared (nbgrader ``solution`` cells: what a student writes), and the
release's own version of those cells (the stubs and any code the notebook hands out) is given to the
detector as boilerplate, so code every student starts from does not count. The comparison itself is
copydetect's (winnowing over the token stream, with identifiers and literals normalised, so renaming
variables or reordering functions does not hide a copy): a maintained tool rather than a home-made one.

Every pair is compared (n (n - 1) / 2 comparisons of fingerprints: for 500 submissions about 125,000,
which copydetect does in tens of seconds on one core; see `find_similar`). The report is copydetect's
HTML (pairs ranked by similarity, each with a side-by-side view of both students' code and the matching
regions highlighted) and a CSV of every pair above the display threshold.
"""

from __future__ import annotations

import csv
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..course.config import CourseError, check_assignment
from ..course.gradebook import find_submissions

#: Fraction of a submission's fingerprints found in the other one above which a pair is listed.
DEFAULT_THRESHOLD = 0.33
#: Pairs shown side by side in the HTML report (the CSV has every listed pair).
HTML_PAIRS = 100
#: copydetect's k-gram length, in tokens: shorter matches are noise.
NOISE_TOKENS = 25


@dataclass
class SimilarPair:
    """Two submissions and how much of each one's answer code appears in the other."""

    student_a: str
    student_b: str
    similarity_a: float  #: fraction of a's fingerprints found in b's code
    similarity_b: float  #: fraction of b's fingerprints found in a's code
    overlap_tokens: int  #: tokens in the matching regions

    @property
    def similarity(self) -> float:
        """The larger of the two fractions (a short submission copied into a long one still ranks)."""
        return max(self.similarity_a, self.similarity_b)


def answer_code(nb, *, cells: set[str] | None = None) -> str:
    """The source of a notebook's answer cells, one block per cell, in notebook order.

    Parameters
    ----------
    nb : nbformat.NotebookNode
    cells : set of str or None
        Only these grade ids (default: every code cell with nbgrader ``solution`` metadata).

    Returns
    -------
    code : str
    """
    blocks = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("solution") and (cells is None or meta.get("grade_id") in cells):
            blocks.append(f"# --- {meta.get('grade_id', '?')}\n{cell.source}\n")
    return "\n".join(blocks)


def _submissions(course_dir: Path, assignment: str, notebook: str) -> dict[str, Path]:
    """``student -> submitted notebook`` of those who submitted one of this name."""
    found = {s: course_dir / "submitted" / s / assignment / notebook for s in find_submissions(course_dir, assignment)}
    return {s: path for s, path in found.items() if path.is_file()}


def find_similar(course_dir: Path, assignment: str, out_dir: Path, *, threshold: float = DEFAULT_THRESHOLD,
                 html_pairs: int = HTML_PAIRS, progress: bool = True) -> tuple[list[SimilarPair], Path, list[str]]:
    """Compare the answer cells of every pair of submissions; write the HTML report and the CSV.

    Parameters
    ----------
    course_dir : Path
        Course directory with ``release/<assignment>/`` and ``submitted/<student>/<assignment>/``.
    assignment : str
    out_dir : Path
        Gets ``similarity-<assignment>.html`` and ``similarity-<assignment>.csv``.
    threshold : float
        Pairs whose `SimilarPair.similarity` is above it are listed (0 to 1).
    html_pairs : int
        At most about this many of the most similar pairs get a side-by-side view in the HTML report
        (ties included); the CSV lists them all.
    progress : bool
        Show copydetect's progress bars.

    Returns
    -------
    pairs : list of SimilarPair
        Most similar first.
    html : Path
    unreadable : list of str
        Students whose notebook could not be read (not compared).
    """
    import nbformat
    from copydetect import CopyDetector

    course_dir = Path(course_dir)
    if not 0.0 <= threshold <= 1.0:
        raise CourseError(f"--threshold must be between 0 and 1, got {threshold}")
    check_assignment(assignment, course_dir)
    release = sorted((course_dir / "release" / assignment).glob("*.ipynb"))
    if len(release) != 1:
        raise CourseError(f"release/{assignment} must hold exactly one notebook (run `autograder release "
                          f"{assignment}` first), found {[p.name for p in release]}")
    stub = nbformat.read(release[0], as_version=4)
    subs = _submissions(course_dir, assignment, release[0].name)
    if len(subs) < 2:
        raise CourseError(f"need at least two submissions of {assignment} under {course_dir / 'submitted'} "
                          f"(submitted/<student>/{assignment}/{release[0].name}), found {len(subs)}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html = out_dir / f"similarity-{assignment}.html"
    unreadable = []
    with tempfile.TemporaryDirectory(prefix="autograder-similarity-") as tmp:
        code_dir, boiler_dir = Path(tmp) / "answers", Path(tmp) / "boilerplate"
        code_dir.mkdir()
        boiler_dir.mkdir()
        (boiler_dir / "release.py").write_text(answer_code(stub), encoding="utf-8")
        for student, path in subs.items():
            try:
                code = answer_code(nbformat.read(path, as_version=4))
            except Exception:  # noqa: BLE001 - not JSON, not a notebook: nothing to compare
                unreadable.append(student)
                continue
            (code_dir / f"{student}.py").write_text(code, encoding="utf-8")
        detector = CopyDetector(test_dirs=[str(code_dir)], ref_dirs=[str(code_dir)], boilerplate_dirs=[str(boiler_dir)], extensions=["py"],
                                noise_t=NOISE_TOKENS, guarantee_t=NOISE_TOKENS, display_t=threshold,
                                autoopen=False, silent=not progress, out_file=str(html), force_language="python")
        detector.run()
        pairs = _pairs(detector, threshold)
        if pairs:  # copydetect highlights every pair above display_t: only the top ones go into the HTML
            pairs.sort(key=lambda p: (-p.similarity, -p.overlap_tokens, p.student_a, p.student_b))
            detector.conf.display_t = max(threshold, pairs[min(html_pairs, len(pairs)) - 1].similarity - 1e-9)
            detector.generate_html_report()
        else:
            html.write_text(f"<p>No pair of {assignment} submissions above {threshold:.2f} similarity.</p>",
                            encoding="utf-8")
    pairs.sort(key=lambda p: (-p.similarity, -p.overlap_tokens, p.student_a, p.student_b))
    write_csv(pairs, out_dir / f"similarity-{assignment}.csv")
    return pairs, html, unreadable


def _pairs(detector, threshold: float) -> list[SimilarPair]:
    """Every pair above the threshold, read off copydetect's similarity matrix (no highlighting: cheap)."""
    matrix, overlap = detector.similarity_matrix, detector.token_overlap_matrix
    if not len(matrix):
        return []
    names = [Path(f).stem for f in detector.test_files]
    index = {f: j for j, f in enumerate(detector.ref_files)}
    out = []
    for i, test_f in enumerate(detector.test_files):
        for test_j in range(i + 1, len(detector.test_files)):
            j = index.get(detector.test_files[test_j])
            if j is None or matrix[i, j, 0] < 0:
                continue
            a, b = float(matrix[i, j, 0]), float(matrix[i, j, 1])
            if max(a, b) > threshold:
                out.append(SimilarPair(names[i], names[test_j], a, b, int(overlap[i, j])))
    return out


def write_csv(pairs: list[SimilarPair], path: Path) -> Path:
    """One row per listed pair, most similar first.

    Parameters
    ----------
    pairs : list of SimilarPair
    path : Path

    Returns
    -------
    path : Path
    """
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["student_a", "student_b", "similarity", "similarity_a", "similarity_b", "overlap_tokens"])
        for p in pairs:
            out.writerow([p.student_a, p.student_b, f"{p.similarity:.3f}", f"{p.similarity_a:.3f}",
                          f"{p.similarity_b:.3f}", p.overlap_tokens])
    return Path(path)


def cmd_similarity(args) -> int:
    course = Path(args.course_dir or ".")
    pairs, html, unreadable = find_similar(course, args.assignment, Path(args.output or course / "reports"),
                                           threshold=args.threshold, html_pairs=max(1, args.html_pairs),
                                           progress=not args.quiet)
    for student in unreadable:
        print(f"{student}: the notebook could not be read; not compared", file=sys.stderr)
    print(f"{len(pairs)} pair(s) above {args.threshold:.2f} similarity")
    for p in pairs[:20]:
        print(f"  {p.similarity:5.1%}  {p.student_a}  {p.student_b}  ({p.overlap_tokens} tokens)")
    print(f"report: {html}\ncsv:    {html.with_suffix('.csv')}")
    return 0


def register(sub) -> None:
    """Add the ``similarity`` command to the CLI's subparsers."""
    p = sub.add_parser("similarity", help="rank pairs of submissions by shared answer code (HTML and CSV)",
                       description="Compare the answer cells of every pair of submitted/<student>/<assignment>/ "
                       "notebooks with copydetect, the release's own stubs removed as boilerplate, and write an "
                       "HTML report (pairs ranked by similarity, side by side, matches highlighted) and a CSV.",
                       epilog="example: autograder similarity a2_mlp_mnist -o reports/")
    p.add_argument("assignment", help="assignment name")
    p.add_argument("--course-dir", help="course directory (default: current directory)")
    p.add_argument("-o", "--output", help="folder for the report (default: <course>/reports)")
    p.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD,
                   help="list pairs where more than this fraction of one submission's code is in the other "
                        f"(default: {DEFAULT_THRESHOLD})")
    p.add_argument("--html-pairs", type=int, default=HTML_PAIRS,
                   help=f"most similar pairs shown side by side in the HTML report (default: {HTML_PAIRS}; "
                        "the CSV lists all)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=cmd_similarity)
