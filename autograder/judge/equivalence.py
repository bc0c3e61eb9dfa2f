"""The same notebooks graded both ways: by the judge (the engine's default) and by plain nbgrader.

The judge must not change any grade that plain nbgrader gets right: for the solution, the untouched
release and every mutant, each test cell's score must be the same (plain nbgrader runs the tests in the
student's kernel, which honest notebooks cannot tell apart). The one kind of difference that is
expected is where plain nbgrader is wrong: it scores any stderr output in a test cell (a
``RuntimeWarning``, a progress bar) as a failure, the judge does not. Such a cell (nbgrader 0, its
outputs hold stderr and no error) is listed as *explained*; any other difference fails.

``python -m autograder.judge.equivalence [ASSIGNMENT ...] [--mutants all|N]`` (``make equivalence``)
prints one line per submission and exits 1 on any difference.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Equivalence:
    """Scores of one assignment's sample submissions, both ways."""

    assignment: str
    judge: dict = field(default_factory=dict)      #: student -> {grade_id: score}
    nbgrader: dict = field(default_factory=dict)   #: student -> {grade_id: score}
    seconds: dict = field(default_factory=dict)    #: "judge" / "nbgrader" -> wall time of the batch
    #: student -> {grade_id: why plain nbgrader's score is wrong there} (see the module docstring)
    explained: dict = field(default_factory=dict)

    def differences(self, include_explained: bool = False) -> dict:
        """``student -> {grade_id: (judge score, nbgrader score)}`` where they differ (and are not explained)."""
        out = {}
        for student in sorted(set(self.judge) | set(self.nbgrader)):
            a, b = self.judge.get(student, {}), self.nbgrader.get(student, {})
            known = {} if include_explained else self.explained.get(student, {})
            diff = {g: (a.get(g), b.get(g)) for g in sorted(set(a) | set(b))
                    if a.get(g) != b.get(g) and g not in known}
            if diff:
                out[student] = diff
        return out

    def table(self) -> str:
        """One line per submission: total both ways and the differing cells."""
        diffs = self.differences()
        lines = [f"{self.assignment}: {len(self.judge)} submissions, judge {self.seconds.get('judge', 0):.0f} s, "
                 f"nbgrader {self.seconds.get('nbgrader', 0):.0f} s"]
        for student in sorted(self.judge):
            total_j = sum(v or 0 for v in self.judge[student].values())
            total_n = sum(v or 0 for v in self.nbgrader.get(student, {}).values())
            mark = "same" if student not in diffs else f"DIFFERENT {diffs[student]}"
            known = self.explained.get(student, {})
            if known and student not in diffs:
                mark = "explained: " + "; ".join(f"{g}: {why}" for g, why in sorted(known.items()))
            lines.append(f"  {student:<48} judge {total_j:6.1f}  nbgrader {total_n:6.1f}  {mark}")
        same = len(self.judge) - len(self.differences(include_explained=True))
        lines.append(f"{same} of {len(self.judge)} graded identically cell by cell, "
                     f"{len(self.explained)} differ only where nbgrader scored stderr output, "
                     f"{len(diffs)} differ otherwise")
        return "\n".join(lines)


def _stderr_only(course: Path, assignment: str, student: str, grade_ids) -> dict:
    """Of ``grade_ids``, the cells of nbgrader's graded notebook that hold stderr output and no error."""
    import nbformat

    found = {}
    for path in sorted((course / "autograded" / student / assignment).glob("*.ipynb")):
        for cell in nbformat.read(str(path), as_version=4).cells:
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            outs = cell.get("outputs", []) if cell.cell_type == "code" else []
            if gid in grade_ids and not any(o.output_type == "error" for o in outs):
                err = [o for o in outs if o.output_type == "stream" and o.name == "stderr"]
                if err:
                    lines = "".join(o.text for o in err).strip().splitlines() or [""]
                    first = next((line for line in lines if "Warning" in line or "Error" in line), lines[0])
                    found[gid] = f"nbgrader scored stderr output as a failure ({first.strip()[:100]!r})"
    return found


def _scores(result) -> dict:
    return {c.grade_id: c.score for c in result.cells if c.autograded}


def compare(assignment: str, students: list[str] | None = None, *, workers: int = 2, client=None,
            timeout: int | None = None) -> Equivalence:
    """Grade sample submissions of ``assignment`` with the engine (judge) and with ``nbgrader autograde``.

    Parameters
    ----------
    assignment : str
    students : list of str or None
        Sample ids (``solution``, ``untouched``, ``mutant-<name>``); None: all of them.
    workers : int
        Local Dask workers for the judge's batch (ignored with ``client``).
    client : distributed.Client or None
    timeout : int or None
        Cell timeout for the judge's batch (None: the course configuration's).

    Returns
    -------
    result : Equivalence
    """
    from ..course.config import new_course_dir
    from ..engine.coordinator import grade_parallel
    from ..engine.jobs import Limits
    from ..course.release import generate
    from ..lifecycle.grading import grade
    from ..audit.samples import sample_submissions, write_submission

    out = Equivalence(assignment)
    with tempfile.TemporaryDirectory(prefix=f"equivalence-{assignment}-") as tmp:
        course = new_course_dir(Path(tmp) / "course", [assignment])
        generate(assignment, source_root=course, out_root=course, gradebook=course / "gradebook.db")
        subs = sample_submissions(assignment, root=course)
        names = [n for n in subs if students is None or n in students]
        for name in names:
            write_submission(course, name, assignment, subs[name])
        t0 = time.perf_counter()
        for r in grade_parallel(course, assignment, students=names, workers=workers, client=client, force=True,
                                limits=Limits(timeout=timeout), progress=False):
            out.judge[r.student] = _scores(r)
        t1 = time.perf_counter()
        for r in grade(course, assignment, students=names, progress=False):
            out.nbgrader[r.student] = _scores(r)
        out.seconds = {"judge": t1 - t0, "nbgrader": time.perf_counter() - t1}
        for student, diff in out.differences().items():
            cells = {g for g, (j, n) in diff.items() if n == 0 and j}
            known = _stderr_only(course, assignment, student, cells) if cells else {}
            if known:
                out.explained[student] = known
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    from ..course.config import REPO_ROOT, list_assignments
    from ..audit.mutants import load_mutants

    parser = argparse.ArgumentParser(prog="python -m autograder.judge.equivalence", description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment of the repository")
    parser.add_argument("--mutants", default="all", help="'all' (default) or how many mutants per assignment")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    from ..course.config import quiet_gradebook_warnings

    quiet_gradebook_warnings()
    failed = False
    for assignment in args.assignments or list_assignments(REPO_ROOT):
        mutants = [m.student_id for m in load_mutants(assignment)]
        if args.mutants != "all":
            mutants = mutants[: int(args.mutants)]
        result = compare(assignment, ["solution", "untouched", *mutants], workers=args.workers)
        print(result.table(), flush=True)
        failed |= bool(result.differences())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
