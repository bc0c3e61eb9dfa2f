"""The coordinator's imports (``autograder.engine.import_pool``): in its own process, or in a pool of
processes on large clusters, with the same gradebook, ledger and log either way."""

from __future__ import annotations

import shutil

import pytest

from autograder.audit.samples import sample_submissions, write_submission
from autograder.course import new_course_dir
from autograder.course.gradebook import read_scores
from autograder.course.release import generate
from autograder.engine.coordinator import grade_parallel, open_client
from autograder.engine.import_pool import MAX_PROCESSES, POOL_FROM_THREADS, InProcess, import_processes
from autograder.engine.ledger import Ledger, grade_log

pytestmark = pytest.mark.xdist_group("engine")

A4 = "a4_losses_and_stability"


def test_a_pool_only_for_large_clusters():
    assert [import_processes(t) for t in (1, 2, 4, POOL_FROM_THREADS - 1)] == [0, 0, 0, 0]
    assert import_processes(POOL_FROM_THREADS) == 2
    assert import_processes(16) == 4 and import_processes(32) == 8
    assert import_processes(1000) == MAX_PROCESSES


def test_in_process_imports_keep_their_exceptions_in_the_future():
    here = InProcess()
    assert here.submit(lambda x: x + 1, 1).result() == 2
    failed = here.submit(lambda: 1 / 0)
    assert failed.done() and isinstance(failed.exception(), ZeroDivisionError)


@pytest.mark.slow
def test_a_pool_of_import_processes_writes_the_same_course(tmp_path):
    template = new_course_dir(tmp_path / "template", [A4])
    generate(A4, source_root=template, out_root=template, gradebook=template / "gradebook.db")
    subs = sample_submissions(A4, root=template)
    chosen = ["solution", "untouched"] + sorted(s for s in subs if s.startswith("mutant-"))[:4]
    for student in chosen:
        write_submission(template, student, A4, subs[student])
    here, pooled = (shutil.copytree(template, tmp_path / name) for name in ("here", "pooled"))
    with open_client(workers=2) as client:
        serial = grade_parallel(here, A4, client=client, progress=False, processes=0)
        parallel = grade_parallel(pooled, A4, client=client, progress=False, processes=2)
    assert {r.student: r.status for r in parallel} == {r.student: r.status for r in serial} \
        == {s: "graded" for s in chosen}
    for student in chosen:  # the gradebook, cell by cell
        assert read_scores(pooled, A4, student) == read_scores(here, A4, student)
        assert (pooled / "autograded" / student / A4 / f"{A4}.ipynb").is_file()
    assert sorted(r["student"] for r in Ledger(pooled).records()) == sorted(chosen)
    assert sorted(r["student"] for r in grade_log(pooled).records()) == sorted(chosen)
    # nothing left to do: a second run skips everything, as after an import in this process
    again = grade_parallel(pooled, A4, workers=1, progress=False, processes=2)
    assert {r.status for r in again} == {"skipped"}
