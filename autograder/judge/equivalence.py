"""The same notebooks graded both ways: by the judge (the engine's default) and by plain nbgrader.

The judge must not change any grade that plain nbgrader gets right: for the solution, the untouched
release and every mutant, each test cell's score must be the same (plain nbgrader runs the tests in the
student's kernel, which honest notebooks cannot tell apart). Differences are what a careful
reviewer looks at; there are none in the course's corpus.

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

    def differences(self) -> dict:
        """``student -> {grade_id: (judge score, nbgrader score)}`` where they differ."""
        out = {}
        for student in sorted(set(self.judge) | set(self.nbgrader)):
            a, b = self.judge.get(student, {}), self.nbgrader.get(student, {})
            diff = {g: (a.get(g), b.get(g)) for g in sorted(set(a) | set(b)) if a.get(g) != b.get(g)}
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
            lines.append(f"  {student:<48} judge {total_j:6.1f}  nbgrader {total_n:6.1f}  {mark}")
        lines.append(f"{len(self.judge) - len(diffs)} of {len(self.judge)} graded identically cell by cell")
        return "\n".join(lines)


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
    from ..course import new_course_dir
    from ..engine.coordinator import grade_parallel
    from ..engine.jobs import Limits
    from ..generate import generate
    from ..grading import grade
    from ..samples import sample_submissions, write_submission

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
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line (see the module docstring)."""
    from ..course import REPO_ROOT, list_assignments
    from ..mutants import load_mutants

    parser = argparse.ArgumentParser(prog="python -m autograder.judge.equivalence", description=__doc__.split("\n\n")[0])
    parser.add_argument("assignments", nargs="*", help="default: every assignment of the repository")
    parser.add_argument("--mutants", default="all", help="'all' (default) or how many mutants per assignment")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    from ..course import quiet_gradebook_warnings

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
