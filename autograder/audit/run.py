"""``autograder audit``: test the hidden tests with the corpus of wrong implementations.

Each mutant under ``tests/mutants/<assignment>/`` replaces one answer cell of the solution with a
typical mistake (see `autograder.audit.mutants`). The audit builds a scratch course from the current
``source/``, submits the solution and every mutant, autogrades them with the real engine and
compares, per mutant, the test cells that lost points with the cells it is expected to lose
(``LOSES``) and those allowed to (``MAY_LOSE``, downstream of the mistake):

* ``killed``: every expected cell lost points and nothing unrelated did;
* ``SURVIVED``: no cell lost points, so a wrong implementation would earn full marks;
* ``MISSED``: some expected cells kept full points (the test for that concept is too weak);
* ``TOO BROAD``: an unrelated cell lost points (a test that punishes a mistake it is not about).

Beside the mutants it grades the correct variants under ``tests/correct_variants/<assignment>/``
(other correct ways students write a cell); each must keep full marks:

* ``kept``: full marks;
* ``TOO STRICT``: a cell lost points, so a hidden test fails correct code (it checks something the
  notebook's prose never asked for, or too tightly).

The solution itself must earn full points, or the audit means nothing.
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from ..course.config import REPO_ROOT, CourseError
from .mutants import CORRECT_VARIANTS_DIR, Mutant, MUTANTS_DIR, apply_mutant, load_correct_variants, load_mutants


@dataclass
class MutantVerdict:
    """What grading one mutant showed."""

    mutant: Mutant
    lost: list[str] = field(default_factory=list)
    problem: str = ""

    @property
    def ok(self) -> bool:
        """A mutant killed on its own cells, or a correct variant that kept full marks."""
        return self.verdict in ("killed", "kept")

    @property
    def verdict(self) -> str:
        """``killed``, ``SURVIVED``, ``MISSED``, ``TOO BROAD`` or ``NOT GRADED`` for a mutant; ``kept``,
        ``TOO STRICT`` or ``NOT GRADED`` for a correct variant."""
        if self.problem:
            return "NOT GRADED"
        lost = set(self.lost)
        if self.mutant.correct:
            return "TOO STRICT" if lost else "kept"
        if not lost:
            return "SURVIVED"
        if not self.mutant.loses <= lost:
            return "MISSED"
        if lost - (self.mutant.loses | self.mutant.may_lose):
            return "TOO BROAD"
        return "killed"


@dataclass
class AuditResult:
    """The audit of one assignment."""

    assignment: str
    verdicts: list[MutantVerdict] = field(default_factory=list)
    controls: list[MutantVerdict] = field(default_factory=list)
    solution_lost: list[str] = field(default_factory=list)
    solution_problem: str = ""
    solution_seconds: float | None = None  #: from handing the solution to Dask to its import

    @property
    def ok(self) -> bool:
        """The solution earns everything, every mutant is killed on its own cells only and every
        correct variant keeps full marks."""
        return (not self.solution_lost and not self.solution_problem
                and all(v.ok for v in self.verdicts + self.controls))


def _lost_cells(result) -> list[str]:
    return sorted(c.grade_id for c in result.cells if c.autograded and c.score < c.max_score)


def audit_assignment(assignment: str, *, root: Path = REPO_ROOT, mutants_dir: Path = MUTANTS_DIR,
                     variants_dir: Path = CORRECT_VARIANTS_DIR, only: Collection[str] | None = None,
                     course_dir: Path | None = None, workers: int | None = None, client=None,
                     progress: bool = True) -> AuditResult:
    """Grade the solution, every mutant and every correct variant of an assignment and judge the hidden tests.

    Parameters
    ----------
    assignment : str
    root : Path
        Course whose ``source/`` is audited (the repository by default).
    mutants_dir : Path
        Folder with one subfolder of mutant files per assignment.
    variants_dir : Path
        Folder with one subfolder of correct-variant files per assignment (missing: none).
    only : collection of str or None
        Grade only the mutants and variants with these names (the solution is always graded);
        an unknown name raises `CourseError`.
    course_dir : Path or None
        Scratch course to grade in (kept afterwards); default: a temporary directory.
    workers : int or None
        Local Dask workers (default: one per core); ignored with ``client``.
    client : distributed.Client or None
    progress : bool

    Returns
    -------
    result : AuditResult
    """
    from ..course.config import new_course_dir
    from ..engine.coordinator import grade_parallel
    from ..course.release import generate
    from .samples import read_generated, write_submission

    mutants = load_mutants(assignment, mutants_dir)
    variants = load_correct_variants(assignment, variants_dir)
    if only is not None:
        unknown = set(only) - {m.name for m in mutants + variants}
        if unknown:
            raise CourseError(f"{assignment} has no mutant or correct variant named {', '.join(sorted(unknown))} "
                              f"(they live in {Path(mutants_dir) / assignment} and {Path(variants_dir) / assignment})")
        mutants = [m for m in mutants if m.name in only]
        variants = [v for v in variants if v.name in only]
    with tempfile.TemporaryDirectory(prefix=f"audit-{assignment}-") as tmp:
        course = new_course_dir(Path(course_dir or Path(tmp) / "course"), [assignment], source_root=root)
        generate(assignment, source_root=course, out_root=course, gradebook=course / "gradebook.db")
        solution = read_generated("solutions", assignment, course)
        write_submission(course, "solution", assignment, solution)
        for mutant in mutants + variants:
            write_submission(course, mutant.student_id, assignment, apply_mutant(mutant, solution))
        results = {r.student: r for r in grade_parallel(course, assignment, workers=workers, client=client,
                                                       force=True, progress=progress)}
    out = AuditResult(assignment)
    sol = results.get("solution")
    if sol is None or sol.status not in ("graded", "limit"):
        out.solution_problem = f"the solution was not graded: {sol.status if sol else 'missing'} {sol.reasons if sol else ''}"
    else:
        out.solution_lost = _lost_cells(sol)
        out.solution_seconds = sol.seconds
    for mutant in mutants + variants:
        r = results.get(mutant.student_id)
        verdict = MutantVerdict(mutant)
        if r is None or r.status not in ("graded", "limit"):
            verdict.problem = f"{r.status if r else 'missing'}: {'; '.join(r.reasons) if r else ''}"
        else:
            verdict.lost = _lost_cells(r)
        (out.controls if mutant.correct else out.verdicts).append(verdict)
    return out


def format_audit(result: AuditResult) -> str:
    """Plain-text tables: per mutant the verdict, cells that lost points and cells expected to; per
    correct variant the verdict and the cells that lost points.

    Parameters
    ----------
    result : AuditResult

    Returns
    -------
    text : str
    """
    rows = [("mutant", "verdict", "lost points on", "expected to lose (may also lose)")]
    for v in result.verdicts:
        expected = ", ".join(sorted(v.mutant.loses))
        if v.mutant.may_lose:
            expected += f" ({', '.join(sorted(v.mutant.may_lose))})"
        rows.append((v.mutant.name, v.verdict, ", ".join(v.lost) or v.problem or "-", expected))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = [f"audit of {result.assignment}: {len(result.verdicts)} mutants, {len(result.controls)} correct variants"]
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3])
        if i == 0:
            lines.append("-" * (sum(widths) + 6 + len(r[3])))
    killed = sum(v.verdict == "killed" for v in result.verdicts)
    lines.append(f"{killed} of {len(result.verdicts)} killed on their own cells")
    if result.controls:
        rows = [("correct variant", "verdict", "lost points on")]
        rows += [(v.mutant.name, v.verdict, ", ".join(v.lost) or v.problem or "-") for v in result.controls]
        widths = [max(len(r[i]) for r in rows) for i in range(3)]
        lines.append("")
        for i, r in enumerate(rows):
            lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
            if i == 0:
                lines.append("-" * (sum(widths) + 4))
        kept = sum(v.verdict == "kept" for v in result.controls)
        lines.append(f"{kept} of {len(result.controls)} correct variants kept full marks")
        if kept < len(result.controls):
            lines.append("TOO STRICT: a hidden test fails correct code (see the variants above); state the "
                         "requirement in the notebook's prose or relax the test")
    if result.solution_problem:
        lines.append(f"SOLUTION: {result.solution_problem}")
    elif result.solution_lost:
        lines.append(f"SOLUTION LOST POINTS on {', '.join(result.solution_lost)}: the hidden tests fail correct code")
    else:
        lines.append("solution: full points")
    return "\n".join(lines)
