"""The parallel grading engine (``autograder.engine``): same scores as sequential nbgrader, resumable,
survives a kill, runs on an external Dask cluster, and turns every limit into 0 on the cells it
stopped without stopping the batch."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder.course import new_course_dir
from autograder.engine.coordinator import grade_parallel, open_client
from autograder.engine.jobs import Limits, content_key
from autograder.engine.kernel_launcher import split_args
from autograder.engine.ledger import JsonLines, Ledger, grade_log
from autograder.engine.autograde import autograde_with, replace_execute, without_steps
from autograder.engine.guarded_execute import GuardedExecute
from autograder.engine.record import RECORD_STEPS, RecordAutograded
from autograder.course.release import generate
from autograder.audit.samples import sample_submissions, write_submission
from tiny_course import TINY, tiny_course, tiny_source, tiny_submission

# One xdist worker runs them all: they share a Dask cluster and the generated course templates.
pytestmark = pytest.mark.xdist_group("engine")

A4 = "a4_losses_and_stability"
PYTHON = str(Path(sys.executable))


# ---------------------------------------------------------------------------------------------------
# fixtures: a tiny synthetic assignment, course templates, one Dask cluster for the module


@pytest.fixture(scope="module")
def tiny_template(tmp_path_factory):
    return tiny_course(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def a4_template(tmp_path_factory):
    course = new_course_dir(tmp_path_factory.mktemp("a4") / "course", [A4])
    generate(A4, source_root=course, out_root=course, gradebook=course / "gradebook.db")
    return course


def copy_course(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest)
    return dest


@pytest.fixture(scope="module")
def dask_client():
    with open_client(workers=2) as client:
        yield client


def cells(results) -> dict[str, dict[str, tuple[float, float]]]:
    return {r.student: {c.grade_id: (c.score, c.max_score) for c in r.cells if c.autograded} for r in results}


def tiny_scores(results) -> dict[str, tuple[float, float]]:
    return {s: (c["test_a"][0], c["test_b"][0]) for s, c in cells(results).items()}


# ---------------------------------------------------------------------------------------------------
# fast unit tests


def test_content_key_covers_config_source_and_submission():
    base = content_key(b"cfg", {"a.ipynb": b"src"}, {"a.ipynb": b"sub"})
    assert base == content_key(b"cfg", {"a.ipynb": b"src"}, {"a.ipynb": b"sub"})
    assert base != content_key(b"cfg2", {"a.ipynb": b"src"}, {"a.ipynb": b"sub"})
    assert base != content_key(b"cfg", {"a.ipynb": b"src2"}, {"a.ipynb": b"sub"})
    assert base != content_key(b"cfg", {"a.ipynb": b"src"}, {"a.ipynb": b"sub2"})
    assert base != content_key(b"cfg", {"a.ipynb": b"src"}, {"a.ipynb": b"sub", "timestamp.txt": b""})


def test_grading_fingerprint_covers_limits_version_and_verdict_code(monkeypatch, tmp_path):
    import autograder
    import autograder.engine.jobs as jobs

    base = jobs.grading_fingerprint(Limits())
    assert base == jobs.grading_fingerprint(Limits())
    assert base != jobs.grading_fingerprint(Limits(memory_mb=2048))
    assert base != jobs.grading_fingerprint(Limits(notebook_timeout=600.0))
    assert content_key(b"cfg", {}, {"a.ipynb": b"s"}, base) != content_key(b"cfg", {}, {"a.ipynb": b"s"}, "other")
    monkeypatch.setattr(autograder, "__version__", "999")
    assert jobs.grading_fingerprint(Limits()) != base
    monkeypatch.undo()
    # a copy of the package whose check library differs by one line
    import shutil

    copy = tmp_path / "autograder"
    shutil.copytree(Path(autograder.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(jobs, "__file__", str(copy / "engine" / "jobs.py"))
    assert jobs.grading_fingerprint(Limits()) == base
    with open(copy / "checks" / "compare.py", "a") as f:
        f.write("\n# changed\n")
    assert jobs.grading_fingerprint(Limits()) != base


def test_workers_get_one_assignments_gradebook_entry_and_no_student(tiny_template, tmp_path):
    from nbgrader.api import Gradebook

    from autograder.engine.jobs import assignment_gradebook

    course = copy_course(tiny_template, tmp_path / "course")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        cells_before = sorted(c.name for c in gb.find_notebook(TINY, TINY).grade_cells)
        gb.add_student("zoe-secret-id", first_name="Zoe")
        gb.add_submission(TINY, "zoe-secret-id")
        gb.add_assignment("other_assignment")
    data = assignment_gradebook(course / "gradebook.db", TINY)
    assert b"zoe-secret-id" not in data and b"Zoe" not in data
    (tmp_path / "worker.db").write_bytes(data)
    with Gradebook(f"sqlite:///{tmp_path / 'worker.db'}") as gb:
        assert [a.name for a in gb.assignments] == [TINY] and gb.students == []
        assert sorted(c.name for c in gb.find_notebook(TINY, TINY).grade_cells) == cells_before
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:  # the course's own is untouched
        assert [s.id for s in gb.students] == ["zoe-secret-id"]


def _rows(db_file) -> dict:
    import sqlite3

    db = sqlite3.connect(db_file)
    try:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: sorted(map(repr, db.execute(f"SELECT * FROM {t}"))) for t in tables}
    finally:
        db.close()


def test_the_workers_gradebook_holds_what_nbgraders_own_removals_leave(tiny_template, tmp_path):
    """Students and submissions go by SQL in one transaction; the result is row for row what nbgrader's
    remove_assignment and remove_student leave (a table nbgrader adds one day would show up here)."""
    from nbgrader.api import Gradebook

    from autograder.engine.jobs import assignment_gradebook

    course = copy_course(tiny_template, tmp_path / "course")
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        gb.add_assignment("other_assignment")
        for student in ("amy", "bob", "cat"):
            gb.add_student(student, first_name=student.title(), email=f"{student}@example.org")
            gb.add_submission(TINY, student)
            gb.add_submission("other_assignment", student)
        graded = gb.find_submission_notebook(TINY, TINY, "amy")
        assert graded.grades and graded.comments  # rows in grade and comment too
        graded.grades[0].manual_score = 0.5
        graded.comments[0].manual_comment = "see me"
        gb.db.commit()
    ours = tmp_path / "ours.db"
    ours.write_bytes(assignment_gradebook(course / "gradebook.db", TINY))
    reference = tmp_path / "reference.db"
    shutil.copyfile(course / "gradebook.db", reference)
    with Gradebook(f"sqlite:///{reference}") as gb:
        gb.remove_assignment("other_assignment")
        for student in [s.id for s in gb.students]:
            gb.remove_student(student)
    assert _rows(ours) == _rows(reference)
    assert _rows(ours)["notebook"] and not _rows(ours)["student"]


def test_ledger_survives_a_line_cut_short(tmp_path):
    ledger = Ledger(tmp_path)
    ledger.append({"assignment": "x", "student": "amy", "key": "1"})
    with open(ledger.path, "a") as f:
        f.write('{"assignment": "x", "student": "bob", "ke')  # killed mid-write
    ledger.append({"assignment": "x", "student": "amy", "key": "2"})
    assert [r["key"] for r in ledger.records()] == ["1", "2"]
    assert ledger.latest("x") == {"amy": {"assignment": "x", "student": "amy", "key": "2"}}
    assert JsonLines(tmp_path / "none.jsonl").records() == []


def test_replace_execute_swaps_only_execute():
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute, LimitOutput

    swapped = replace_execute(list(Autograde().autograde_preprocessors), GuardedExecute)
    assert swapped[0] is GuardedExecute and Execute not in swapped and LimitOutput in swapped
    assert replace_execute(["nbgrader.preprocessors.Execute", LimitOutput], GuardedExecute) == [GuardedExecute, LimitOutput]
    with pytest.raises(ValueError, match="no Execute"):
        replace_execute([LimitOutput], GuardedExecute)


def test_workers_leave_out_only_the_steps_that_write_the_gradebook():
    """A worker's Autograde skips SaveAutoGrades and AssignLatePenalties (RecordAutograded runs them in the
    course), so each step of nbgrader's runs once per submission; every other step stays, in order."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import AssignLatePenalties, CheckCellMetadata, LimitOutput, SaveAutoGrades

    steps = list(Autograde().autograde_preprocessors)
    kept = without_steps(steps, RECORD_STEPS)
    assert SaveAutoGrades in steps and AssignLatePenalties in steps
    assert SaveAutoGrades not in kept and AssignLatePenalties not in kept
    assert kept == [pp for pp in steps if pp not in (SaveAutoGrades, AssignLatePenalties)]
    assert CheckCellMetadata in kept and LimitOutput in kept
    assert list(RecordAutograded().record_preprocessors) == list(RECORD_STEPS)

    class MySave(SaveAutoGrades):  # a course's own subclass, named by its dotted path, is a record step too
        pass

    assert without_steps(["nbgrader.preprocessors.SaveAutoGrades", MySave(), LimitOutput], RECORD_STEPS) == [LimitOutput]


def test_recording_needs_the_workers_autograded_notebook(tiny_template, tmp_path):
    from traitlets.config import Config

    course = copy_course(tiny_template, tmp_path / "course")
    tiny_submission(course, "amy")
    cfg = Config()
    cfg.RecordAutograded.autograded = {}
    outcome = autograde_with(course, TINY, "amy", None, cfg, converter=RecordAutograded)
    assert not outcome["success"]
    assert "no autograded copy of notebook" in (outcome.get("log") or "") + (outcome.get("error") or "")


def test_kernel_launcher_arguments():
    assert split_args(["--memory-mb", "512", "-f", "c.json"]) == (512, ["-f", "c.json"])
    assert split_args(["--memory-mb=64", "-f", "c.json", "--x"]) == (64, ["-f", "c.json", "--x"])
    assert split_args(["-f", "c.json"]) == (0, ["-f", "c.json"])
    assert split_args(["--output-mb", "2.5", "--memory-mb", "8", "-f", "c"], "--output-mb", float) == (
        2.5, ["--memory-mb", "8", "-f", "c"])


# ---------------------------------------------------------------------------------------------------
# grading


def cell_outcomes(nb):
    """Per cell: the errors it raised, in order, and the streams it wrote to.

    Streams are compared as a set of names, not output by output: a kernel may flush one print in
    several messages, and how stdout and stderr interleave depends on timing.
    """
    return [([o.get("ename") for o in c.get("outputs", []) if o.get("output_type") == "error"],
             sorted({o.get("name") for o in c.get("outputs", []) if o.get("output_type") == "stream"}))
            for c in nb.cells]


@pytest.mark.slow
def test_parallel_scores_equal_sequential_cell_by_cell(a4_template, dask_client, tmp_path):
    from autograder.lifecycle.grading import grade

    subs = sample_submissions(A4)
    mutants = sorted(s for s in subs if s.startswith("mutant-"))[:2]
    chosen = {s: subs[s] for s in ["solution", "untouched", *mutants]}
    seq_course = copy_course(a4_template, tmp_path / "seq")
    par_course = copy_course(a4_template, tmp_path / "par")
    for course in (seq_course, par_course):
        for student, nb in chosen.items():
            write_submission(course, student, A4, nb)
    sequential = grade(seq_course, A4, progress=False)
    parallel = grade_parallel(par_course, A4, client=dask_client, progress=False)
    assert all(r.success for r in sequential)
    assert {r.student: r.status for r in parallel} == {s: "graded" for s in chosen}
    assert cells(parallel) == cells(sequential)
    assert cells(parallel)["solution"] and all(s == m for s, m in cells(parallel)["solution"].values())
    for student in chosen:  # the autograded notebooks carry the same cells and the same errors
        seq_nb, par_nb = (nbformat.read(c / "autograded" / student / A4 / f"{A4}.ipynb", as_version=4)
                          for c in (seq_course, par_course))
        assert [c.source for c in seq_nb.cells] == [c.source for c in par_nb.cells]
        assert cell_outcomes(seq_nb) == cell_outcomes(par_nb), student
    log = grade_log(par_course).records()
    assert sorted(r["student"] for r in log) == sorted(chosen)
    for record in log:
        assert record["status"] == "graded" and record["reason"] == ""
        assert all(record[k] >= 0 for k in ("queue_wait_s", "kernel_start_s", "execution_s", "scoring_s", "total_s"))


@pytest.mark.slow
def test_runs_are_resumable_and_idempotent(tiny_template, dask_client, tmp_path, monkeypatch):
    import autograder.engine.coordinator as coordinator

    monkeypatch.setattr(coordinator, "IN_FLIGHT_MIN", 1)  # two jobs in flight: the third waits for a result
    monkeypatch.setattr(coordinator, "IN_FLIGHT_PER_THREAD", 1)
    course = copy_course(tiny_template, tmp_path / "course")
    tiny_submission(course, "amy")
    tiny_submission(course, "bob", answer_b="b = 3")
    tiny_submission(course, "cat", answer_a="a = 0")
    first = grade_parallel(course, TINY, client=dask_client, progress=False)
    assert tiny_scores(first) == {"amy": (1, 1), "bob": (1, 0), "cat": (0, 1)}
    assert len(Ledger(course).records()) == 3

    again = grade_parallel(course, TINY, client=dask_client, progress=False)
    assert {r.status for r in again} == {"skipped"} and tiny_scores(again) == tiny_scores(first)
    assert len(Ledger(course).records()) == 3 and len(grade_log(course).records()) == 3

    tiny_submission(course, "bob")  # bob fixes his answer
    third = grade_parallel(course, TINY, client=dask_client, progress=False)
    assert {r.student: r.status for r in third} == {"amy": "skipped", "cat": "skipped", "bob": "graded"}
    assert tiny_scores(third)["bob"] == (1, 1)
    assert sorted(r["student"] for r in Ledger(course).records()) == ["amy", "bob", "bob", "cat"]

    forced = grade_parallel(course, TINY, client=dask_client, force=True, progress=False)
    assert {r.status for r in forced} == {"graded"}
    assert tiny_scores(forced) == {"amy": (1, 1), "bob": (1, 1), "cat": (0, 1)}
    assert len(Ledger(course).records()) == 7

    # other grading limits grade everything again, once; the same limits again grade nothing
    other = Limits(memory_mb=4096)
    assert {r.status for r in grade_parallel(course, TINY, client=dask_client, limits=other, progress=False)} \
        == {"graded"}
    assert {r.status for r in grade_parallel(course, TINY, client=dask_client, limits=other, progress=False)} \
        == {"skipped"}
    assert len(Ledger(course).records()) == 10


@pytest.mark.slow
def test_killed_run_resumes_where_it_stopped(tiny_template, tmp_path):
    course = copy_course(tiny_template, tmp_path / "course")
    expected = {"amy": (1, 1), "bob": (1, 0), "cat": (0, 1), "dan": (0, 0)}
    for student, (a, b) in expected.items():
        tiny_submission(course, student, answer_a=f"a = {2 - a}", answer_b=f"b = {3 - b}")
    command = [PYTHON, "-m", "autograder", "grade", TINY, "--course-dir", str(course), "--workers", "1", "--quiet"]
    scratch = tmp_path / "tmp"  # what the killed workers leave behind stays in the test's directory
    scratch.mkdir()
    env = dict(os.environ, TMPDIR=str(scratch))
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
                            env=env)
    ledger = Ledger(course)
    try:
        deadline = time.monotonic() + 240
        while not ledger.records() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.1)
        assert ledger.records(), "no result reached the ledger"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # the run, its Dask cluster and their kernels
        except ProcessLookupError:
            pass
        proc.wait()
    killed_after = {r["student"] for r in ledger.records()}
    assert len(killed_after) < len(expected), "the run finished before it could be killed"

    done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr
    records = ledger.records()
    assert sorted(r["student"] for r in records) == sorted(expected)  # each student once
    assert {r["student"]: (r["scores"]["test_a"][0], r["scores"]["test_b"][0]) for r in records} == expected
    assert "amy" in done.stdout and "dan" in done.stdout


@pytest.mark.slow
def test_external_dask_cluster(a4_template, tmp_path):
    from autograder.audit.mutants import load_mutants

    course = copy_course(a4_template, tmp_path / "course")
    mutant = load_mutants(A4)[0]
    subs = sample_submissions(A4)
    for student in ("solution", mutant.student_id):
        write_submission(course, student, A4, subs[student])
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1")
    scheduler_file = tmp_path / "scheduler.json"
    procs = [subprocess.Popen([PYTHON, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(scheduler_file)],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)]
    try:
        deadline = time.monotonic() + 120
        while not scheduler_file.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for _ in range(2):
            procs.append(subprocess.Popen(
                [PYTHON, "-m", "distributed.cli.dask_worker", address, "--host", "127.0.0.1", "--nthreads", "1",
                 "--no-dashboard", "--memory-limit", "0", "--local-directory", str(tmp_path / "dask")],
                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            workers = set(client.scheduler_info()["workers"])
        results = grade_parallel(course, A4, scheduler=address, progress=False)
    finally:
        for proc in reversed(procs):
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    scores = cells(results)
    assert {r.status for r in results} == {"graded"}
    assert all(s == m for s, m in scores["solution"].values()) and sum(s for s, _ in scores["solution"].values()) == 100
    lost = {c for c, (s, m) in scores[mutant.student_id].items() if s < m}
    assert mutant.loses <= lost <= mutant.loses | mutant.may_lose
    assert {r["worker"] for r in Ledger(course).records()} <= workers


@pytest.mark.slow
def test_limits_give_zero_with_a_reason_and_the_batch_goes_on(tiny_template, dask_client, tmp_path):
    course = copy_course(tiny_template, tmp_path / "course")
    tiny_submission(course, "good")
    tiny_submission(course, "loop", answer_a="while True:\n    pass")
    tiny_submission(course, "hog", answer_a="import numpy as np\nx = np.ones(4 * 2**30 // 8)\na = 1")
    tiny_submission(course, "dies", answer_a="import os\nos._exit(1)")
    tiny_submission(course, "chatty", answer_a="while True:\n    print('y' * 10000)")  # cap, then timeout
    broken = course / "submitted" / "broken" / TINY / f"{TINY}.ipynb"
    broken.parent.mkdir(parents=True)
    broken.write_text("this is not a notebook")
    results = grade_parallel(course, TINY, client=dask_client, limits=Limits(timeout=3, memory_mb=1024),
                             progress=False)
    by = {r.student: r for r in results}
    # a dead kernel costs the cell it died in: the kernel is restarted and test_b is still graded
    assert tiny_scores(results) == {"good": (1, 1), "loop": (0, 1), "hog": (0, 1), "dies": (0, 1), "broken": (0, 0),
                                    "chatty": (0, 1)}
    assert by["good"].status == "graded" and not by["good"].reasons
    assert by["loop"].status == "limit" and "cell timeout in cell 1 (answer_a)" in by["loop"].error
    assert by["hog"].status == "limit" and "MemoryError in cell 1 (answer_a) (memory cap 1024 MiB)" in by["hog"].error
    assert by["dies"].status == "limit" and "kernel died in cell 1 (answer_a)" in by["dies"].error
    assert by["broken"].status == "failed" and "submitted notebook tiny.ipynb is not valid JSON" in by["broken"].error
    assert by["chatty"].status == "limit" and by["chatty"].reasons == [
        "tiny: output cap: cell 1 (answer_a) printed more than the notebook's 10 MiB of output; the rest of its "
        "output was dropped", "tiny: cell timeout in cell 1 (answer_a)"]
    assert (course / "autograded" / "chatty" / TINY / f"{TINY}.ipynb").stat().st_size < 10 * 2**20 + 2**18
    log = {r["student"]: r for r in grade_log(course).records()}
    assert log["loop"]["reason"] and log["broken"]["status"] == "failed" and log["good"]["reason"] == ""
    assert {r["student"] for r in Ledger(course).records()} == set(by)


@pytest.mark.slow
def test_a_kernel_that_cannot_start_is_retried_not_graded_zero(tiny_template, dask_client, tmp_path):
    course = copy_course(tiny_template, tmp_path / "course")
    tiny_submission(course, "amy")
    (result,) = grade_parallel(course, TINY, client=dask_client, limits=Limits(memory_mb=40), progress=False)
    assert result.status == "error" and "the kernel did not start" in result.error
    assert Ledger(course).records() == []  # nothing recorded: the next run grades it
    (result,) = grade_parallel(course, TINY, client=dask_client, progress=False)
    assert result.status == "graded" and tiny_scores([result]) == {"amy": (1, 1)}


@pytest.mark.slow
def test_notebook_timeout_through_the_cli(tiny_template, tmp_path, capsys):
    from autograder.cli import main

    course = copy_course(tiny_template, tmp_path / "course")
    tiny_submission(course, "good")
    tiny_submission(course, "sleepy", answer_a="import time\ntime.sleep(120)\na = 1")
    start = time.monotonic()
    status = main(["grade", TINY, "--course-dir", str(course), "--workers", "2", "--notebook-timeout", "4", "--quiet"])
    assert time.monotonic() - start < 100
    out, err = capsys.readouterr()
    assert status == 0, err
    assert "good" in out and "sleepy" in out
    assert "sleepy: limit:" in err and "notebook timeout" in err and "good:" not in err
    ledger = {r["student"]: r for r in Ledger(course).records()}
    assert ledger["good"]["auto_score"] == 2 and ledger["sleepy"]["auto_score"] == 0
