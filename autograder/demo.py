"""``autograder demo``: the instructor's main job, shown in minutes on sample submissions in a scratch course.

By default the demo grades one assignment (a2, the MNIST network) for a handful of students: the
solution, the untouched release and three known wrong implementations, each mutant shown with the test
cells it lost next to the cells it was expected to lose. Then the gradebook table, the CSV and the
report. ``--all`` keeps the full tour: every assignment with every mutant (tens of minutes).

When an assignment needs MNIST and the data cannot be found, the demo stops before grading with the
loader's message (grading without it would only score every MNIST test 0).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from .course.config import REPO_ROOT, CourseError, list_assignments, new_course_dir
from .engine.coordinator import grade_parallel, open_client
from .lifecycle.export import format_table, gradebook_scores, write_csv
from .course.release import generate
from .audit.mutants import load_mutants
from .audit.samples import sample_submissions, write_submission

#: The quick demo: one assignment and three of its mutants (each loses a different test cell).
QUICK_ASSIGNMENT = "a2_mlp_mnist"
QUICK_MUTANTS = ("softmax_no_max_shift", "fit_without_shuffling", "l2_decays_biases")


def require_data(assignments: list[str], root: Path = REPO_ROOT, **load_kwargs) -> None:
    """Stop with the loader's message when an assignment needs MNIST and it cannot be loaded.

    ``load_kwargs`` go to ``load_mnist`` (tests pass ``download=False``).

    Raises
    ------
    CourseError
        With what to do (the loader's message names the files and where to put them).
    """
    needs = [a for a in assignments
             if any(b"load_mnist" in p.read_bytes() for p in (Path(root) / "source" / a).glob("*.ipynb"))]
    if not needs:
        return
    import warnings

    from .data import load_mnist
    from .data.mnist import MNISTNotFoundError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_mnist(**{"progress": False, **load_kwargs})
    except MNISTNotFoundError as exc:
        raise CourseError(f"{', '.join(needs)} need(s) MNIST, which could not be found, so nothing was graded "
                          f"(the MNIST tests would all score 0).\n{exc}\nThen run the demo again.") from None


def run_demo(course_dir: Path, assignments: list[str] | None = None, *, everything: bool = False,
             progress: bool = True, workers: int | None = None) -> Path:
    """Release assignments, submit sample submissions, autograde them, print scores, write a CSV and reports.

    Parameters
    ----------
    course_dir : Path
        Scratch course directory to (re)create.
    assignments : list of str or None
        Default: a2 only (quick), or every assignment with ``everything``.
    everything : bool
        Every mutant of each assignment (the full tour) instead of three of a2's.
    progress : bool
    workers : int or None
        Dask worker processes grading in parallel (default: one per core).

    Returns
    -------
    csv_path : Path
        ``<course_dir>/grades.csv``.
    """
    if not assignments:
        assignments = list_assignments(REPO_ROOT) if everything else [QUICK_ASSIGNMENT]
    require_data(assignments)
    course_dir = Path(course_dir).resolve()
    if course_dir.exists():
        shutil.rmtree(course_dir)
    new_course_dir(course_dir, assignments)
    print(f"Scratch course directory: {course_dir}", flush=True)
    with open_client(workers) as client:
        for assignment in assignments:
            _demo_assignment(course_dir, assignment, client, progress, everything)
    scores = gradebook_scores(course_dir, assignments)
    for assignment in assignments:
        print()
        print(format_table(assignment, scores.get(assignment, {})))
    csv_path = write_csv(scores, course_dir / "grades.csv")
    from .lifecycle.report import write_report

    print(f"\nGrades written to {csv_path}")
    for assignment in assignments:
        html, _ = write_report(course_dir, assignment)
        print(f"Report of {assignment}: {html}")
    print(f"Graded notebooks (with test output) are in {course_dir / 'autograded'}")
    return csv_path


def _samples(assignment: str, everything: bool) -> tuple[dict, dict]:
    """The sample submissions to grade and the mutants among them (``student id -> Mutant``)."""
    subs = sample_submissions(assignment, include_mutants=everything)
    mutants = {m.student_id: m for m in load_mutants(assignment)}
    if not everything:
        from .audit.mutants import apply_mutant

        picked = [m for m in mutants.values() if m.name in QUICK_MUTANTS] or list(mutants.values())[:3]
        for m in picked:
            subs[m.student_id] = apply_mutant(m, subs["solution"])
        mutants = {m.student_id: m for m in picked}
    return subs, mutants


def _demo_assignment(course_dir: Path, assignment: str, client, progress: bool, everything: bool) -> None:
    """Release one assignment in the scratch course, submit its samples, grade them on `client`, explain."""
    generate(assignment, source_root=course_dir, out_root=course_dir, gradebook=course_dir / "gradebook.db")
    subs, mutants = _samples(assignment, everything)
    for student, nb in subs.items():
        write_submission(course_dir, student, assignment, nb)
    print(f"\n[{assignment}] released; {len(subs)} sample submissions: the solution, the untouched release and "
          f"{len(mutants)} known wrong implementation(s) (tests/mutants/)", flush=True)
    from .engine.limits import configured_limits, describe_for

    limits = configured_limits(course_dir).limits(assignment=assignment)
    print(f"[{assignment}] {describe_for(course_dir, limits, assignment)}", flush=True)
    start = time.perf_counter()
    results = grade_parallel(course_dir, assignment, client=client, force=True, progress=progress, limits=limits)
    failed = [r.student for r in results if not r.success]
    print(f"[{assignment}] graded {len(results)} submissions in {time.perf_counter() - start:.0f} s"
          + (f"; nbgrader reported errors for: {', '.join(failed)}" if failed else ""))
    by_student = {r.student: r for r in results}
    for student, mutant in sorted(mutants.items()):
        r = by_student.get(student)
        if r is None:
            continue
        lost = sorted(c.grade_id for c in r.cells if c.autograded and c.score < c.max_score)
        verdict = "caught" if set(mutant.loses) <= set(lost) else "NOT CAUGHT"
        print(f"  {student}: {mutant.description.splitlines()[0] if mutant.description else mutant.name}\n"
              f"    lost points on: {', '.join(lost) or 'nothing'}; expected: {', '.join(sorted(mutant.loses))} "
              f"({verdict})")
