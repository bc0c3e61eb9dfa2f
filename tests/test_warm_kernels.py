"""Warm kernels (``autograder.engine.warm_kernels``): the next job's kernel starts while the current one runs,
in the next job's own directory; a kernel serves one notebook; a spare that does not fit is killed."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import nbformat
import pytest

from autograder.engine.coordinator import grade_parallel, open_client
from autograder.engine.job_dir import KernelSettings
from autograder.engine.jobs import Limits
from autograder.engine.ledger import grade_log
from autograder.engine.warm_kernels import SparePool, launch_arguments, start_spare
from tiny_course import TINY, tiny_course, tiny_source, tiny_submission

pytestmark = pytest.mark.xdist_group("engine")

#: The answer cell every submission below uses: it reports what its kernel sees, and is correct only when the
#: working directory holds exactly the student's own notebook.
REPORT = """import os, json, tempfile
print("KERNEL " + json.dumps({"pid": os.getpid(), "cwd": os.getcwd(), "tmp": tempfile.gettempdir(),
                             "files": sorted(os.listdir(".")), "trim": os.environ.get("MALLOC_TRIM_THRESHOLD_")}))
open("written_by_this_submission.txt", "w").write("x")
a = 1 if sorted(os.listdir(".")) == ["tiny.ipynb", "written_by_this_submission.txt"] else 0"""


def _source_files() -> dict[str, bytes]:
    return {f"{TINY}.ipynb": nbformat.writes(tiny_source()).encode()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is dead too
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _kernel_reports(course: Path, student: str) -> dict:
    nb = nbformat.read(course / "autograded" / student / TINY / f"{TINY}.ipynb", as_version=4)
    text = "".join(out.get("text", "") for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs)
    return json.loads(re.search(r"KERNEL (\{.*\})", text).group(1))


@pytest.mark.slow
def test_one_worker_grades_every_job_on_a_kernel_started_before_it_in_its_own_directory(tmp_path):
    course = tiny_course(tmp_path)
    students = ["amy", "bob", "cat", "dan"]
    for student in students:
        tiny_submission(course, student, answer_a=REPORT)
    with open_client(workers=1) as client:
        worker_env = client.run(lambda: os.environ.get("MALLOC_TRIM_THRESHOLD_"))
        results = grade_parallel(course, TINY, client=client, progress=False)
    assert list(worker_env.values()) == ["65536"]  # Dask's nanny sets it for its workers ...
    assert {r.student: r.status for r in results} == {s: "graded" for s in students}
    assert {r.student: sum(c.score for c in r.cells) for r in results} == {s: 2.0 for s in students}
    log = {r["student"]: r for r in grade_log(course).records()}
    # every kernel was started before its job arrived: by the warm-up (the first), or while the job before ran
    assert all(log[s]["warm_kernel"] is True for s in students), log
    seen = {s: _kernel_reports(course, s) for s in students}
    # a kernel serves one submission: all different processes, all in different directories
    assert len({v["pid"] for v in seen.values()}) == len(students)
    assert len({v["cwd"] for v in seen.values()}) == len(students)
    for view in seen.values():
        # the job's own student/ folder (the guard's roots), its own private TMPDIR beside it, nothing else in it
        job_root = Path(view["cwd"]).parent
        assert Path(view["cwd"]).name == "student" and job_root.name.startswith("autograder-job-")
        assert Path(view["tmp"]) == job_root / "kernel-tmp"
        assert view["files"] == [f"{TINY}.ipynb"]
        assert view["trim"] is None  # ... and their kernels do without it (twice as slow numpy temporaries)
        assert not job_root.exists()  # removed after the job, and its kernel with it
        assert not _alive(view["pid"])


def test_a_spare_hands_out_its_kernel_once_and_only_as_launched():
    settings = KernelSettings.for_job(Limits(), _source_files())
    spare = start_spare(settings)
    try:
        pid = spare.km.provisioner.process.pid
        assert spare.job_dir.student.is_dir() and spare.alive()
        args = launch_arguments("python3", [])
        assert args == ["--HistoryManager.hist_file=:memory:"]
        km = spare.take("python3", str(spare.job_dir.student), args)
        assert km is not None and km.provisioner.process.pid == pid
        assert spare.take("python3", str(spare.job_dir.student), args) is None  # once
        os.killpg(pid, 9)  # the notebook's to shut down now (GuardedExecute does), not the spare's
        km.provisioner.process.wait(10)
    finally:
        spare.discard()
    assert not spare.job_dir.root.exists()

    # launched otherwise than the notebook's kernel would be (another cwd, other arguments, another kernel): killed
    for other in [("python3", "/tmp", args), ("python3", None, ["--debug"]), ("other-kernel", None, args)]:
        spare = start_spare(settings)
        pid = spare.km.provisioner.process.pid
        name, cwd, arguments = other
        assert spare.take(name, cwd or str(spare.job_dir.student), arguments) is None
        assert not _alive(pid)
        spare.discard()


def test_the_pool_discards_a_spare_started_for_other_settings_or_dead():
    pool = SparePool()
    settings = KernelSettings.for_job(Limits(), _source_files())
    other = KernelSettings.for_job(Limits(memory_mb=2048), _source_files())
    assert settings != other

    pool.prepare(settings)
    spare = pool._next.result()
    pid, root = spare.km.provisioner.process.pid, spare.job_dir.root
    assert pool.take(other) is None  # not for this job: killed, directory deleted
    assert not _alive(pid) and not root.exists()

    pool.prepare(settings)
    spare = pool._next.result()
    pid, root = spare.km.provisioner.process.pid, spare.job_dir.root
    os.killpg(pid, 9)
    spare.km.provisioner.process.wait(10)
    assert pool.take(settings) is None  # died while waiting: the job starts cold
    assert not root.exists()

    pool.prepare(settings)
    spare = pool.take(settings)
    assert spare is not None and spare.alive()
    spare.discard()

    pool.prepare(settings)
    spare = pool._next.result()
    pid, root = spare.km.provisioner.process.pid, spare.job_dir.root
    pool.close()  # the worker's exit: no kernel, no directory left behind
    assert not _alive(pid) and not root.exists()


def test_kernels_inherit_the_workers_environment_as_it_was_at_its_first_job(monkeypatch):
    """What grading's imports do to the worker's environment (scikit-learn's KMP_* variables, say) reaches no
    kernel, and a spare started before them still fits the next job."""
    first = KernelSettings.for_job(Limits(), _source_files())
    monkeypatch.setenv("AUTOGRADER_TEST_SET_BY_AN_IMPORT", "True")  # as scikit-learn sets KMP_DUPLICATE_LIB_OK
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    later = KernelSettings.for_job(Limits(), _source_files())
    assert later == first and "AUTOGRADER_TEST_SET_BY_AN_IMPORT" not in dict(later.environ)
    assert "MALLOC_TRIM_THRESHOLD_" not in dict(later.environ)


def test_kernel_settings_follow_the_limits_and_the_notebooks_kernels():
    source = _source_files()
    base = KernelSettings.for_job(Limits(), source, environ={"PATH": "/bin"})
    assert base == KernelSettings.for_job(Limits(), source, environ={"PATH": "/bin"})
    assert base.names == frozenset({("python3", "Python 3")})
    for limits in (Limits(memory_mb=1024), Limits(output_mb=1), Limits(guard=False), Limits(judge=False)):
        assert KernelSettings.for_job(limits, source, environ={"PATH": "/bin"}) != base
    assert KernelSettings.for_job(Limits(), source, environ={"PATH": "/usr/bin"}) != base


@pytest.mark.slow
def test_a_cold_kernel_gets_the_same_environment_and_folders(tmp_path, monkeypatch):
    """No spare (a worker's very first job without the warm-up): the kernel starts the usual way, with the
    same environment (no MALLOC_TRIM_THRESHOLD_) and the same folders."""
    from autograder.engine import worker
    from autograder.engine.importer import import_result
    from autograder.engine.jobs import Job, Shared, assignment_gradebook, config_file, content_key, read_tree

    course = tiny_course(tmp_path)
    tiny_submission(course, "amy", answer_a=REPORT)
    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    monkeypatch.setattr(worker, "SPARES", SparePool())
    config, source = config_file(course).read_bytes(), read_tree(course / "source" / TINY)
    files = read_tree(course / "submitted" / "amy" / TINY)
    shared = Shared(TINY, config.decode(), source, assignment_gradebook(course / "gradebook.db", TINY))
    result = worker.grade_job(Job("amy", content_key(config, source, files, ""), files, warm_next=False), shared)
    run = result.notebooks[TINY]
    assert run.warm_kernel is False
    imported = import_result(course, TINY, result)  # what the coordinator does with it
    assert imported.status == "graded"
    assert {c.grade_id: c.auto_score for c in imported.cells} == {"test_a": 1.0, "test_b": 1.0}
    text = "".join(o.get("text", "") for c in nbformat.reads(run.autograded, as_version=4).cells
                   if c.cell_type == "code" for o in c.outputs)
    view = json.loads(re.search(r"KERNEL (\{.*\})", text).group(1))
    assert view["trim"] is None and Path(view["cwd"]).name == "student"
    assert Path(view["tmp"]) == Path(view["cwd"]).parent / "kernel-tmp"
    assert os.environ["MALLOC_TRIM_THRESHOLD_"] == "65536"  # the worker's own is back
