"""Clusters fail loudly and never cost a student points: a worker that cannot load MNIST (or runs another
version, or has several threads) grades nobody, whether it is refused at start-up or found out by a job.

The cluster is real: a scheduler and two ``dask worker`` processes on 127.0.0.1, one of them offline with
no MNIST (``MNIST_DIR`` pointing nowhere, an empty cache, ``BACKPROP_COURSE_OFFLINE=1``).
"""

from __future__ import annotations

import os
import subprocess
import sys

import nbformat
import pytest

from autograder import __version__
from autograder.course import CourseError
from autograder.engine import coordinator
from autograder.engine.coordinator import grade_parallel
from autograder.engine.fitness import Requirements, UnfitWorker, check_own_worker, unfit_reason
from autograder.engine.ledger import Ledger
from conftest import SHARED_MNIST
from tiny_course import _cell, course_with, submit_answers

MNIST_TINY = "mnist_tiny"
FIT = {"version": __version__, "sandbox": True, "mnist": ""}


@pytest.mark.parametrize("info, needs, threads, reason", [
    (FIT, Requirements(__version__, mnist=True, sandbox=True), 1, ""),
    ({**FIT, "version": "0.0.1"}, Requirements(__version__), 1, "runs autograder 0.0.1"),
    ({**FIT, "mnist": "cannot load MNIST (x)"}, Requirements(__version__, mnist=True), 1, "cannot load MNIST"),
    ({**FIT, "mnist": "cannot load MNIST (x)"}, Requirements(__version__, mnist=False), 1, ""),
    ({**FIT, "sandbox": False}, Requirements(__version__, sandbox=True), 1, "has no sandbox"),
    ({**FIT, "sandbox": False}, Requirements(__version__, sandbox=False), 1, ""),
    (FIT, Requirements(__version__), 4, "has 4 threads"),
])
def test_unfit_reasons(info, needs, threads, reason):
    got = unfit_reason(info, needs, threads)
    assert (got.startswith(reason) if reason else got == ""), got


def test_a_job_on_an_unfit_worker_raises_before_grading():
    with pytest.raises(UnfitWorker) as caught:
        check_own_worker(Requirements("0.0.0-other"), "tcp://w:1")
    assert caught.value.address == "tcp://w:1" and "runs autograder" in caught.value.reason
    check_own_worker(None, "tcp://w:1")  # a job without requirements checks nothing


def test_a_worker_caches_the_moons_for_its_kernels(tmp_path, monkeypatch):
    from autograder.engine.fitness import inspect_worker, needs_moons

    monkeypatch.setenv("BACKPROP_COURSE_CACHE", str(tmp_path / "cache"))
    assert needs_moons({"a3.ipynb": b"X_train, X_test, y_train, y_test = load_moons()"})
    assert not needs_moons({"a4.ipynb": b"import numpy"})
    inspect_worker(False)
    assert not (tmp_path / "cache").exists()
    info = inspect_worker(False, moons=True)
    assert info["mnist"] == "" and len(list((tmp_path / "cache").glob("moons-*.npz"))) == 1


def _mnist_course(root):
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = [
        _cell("code", "load", "from autograder.data import load_mnist\nn_train = len(load_mnist(progress=False).y_train)"),
        _cell("code", "answer_a", "### BEGIN SOLUTION\na = n_train // 1000\n### END SOLUTION", solution=True),
        _cell("code", "test_a", "assert a == 60, 'a should be the number of training images in thousands'",
              points=1),
    ]
    course = course_with(root, MNIST_TINY, nb)
    for i in range(4):
        submit_answers(course, MNIST_TINY, f"s{i}", {"answer_a": "a = n_train // 1000"})
    return course


def _worker(address, env, name):
    return subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1",
                             "--nworkers", "1", "--no-dashboard", "--name", name, "--host", "127.0.0.1"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    from distributed import Client, LocalCluster

    if not SHARED_MNIST.is_dir() and "MNIST_DIR" not in os.environ:
        pytest.skip("no offline MNIST copy")
    tmp = tmp_path_factory.mktemp("cluster")
    good_env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    bad_env = dict(good_env, MNIST_DIR=str(tmp / "nowhere"), BACKPROP_COURSE_CACHE=str(tmp / "empty-cache"),
                   BACKPROP_COURSE_OFFLINE="1")
    with LocalCluster(n_workers=0, host="127.0.0.1", scheduler_port=0, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        procs = [_worker(cluster.scheduler_address, good_env, "good"), _worker(cluster.scheduler_address, bad_env, "bad")]
        try:
            client.wait_for_workers(2, timeout=120)
            names = {w["name"]: a for a, w in client.scheduler_info()["workers"].items()}
            yield client, names, tmp
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(timeout=60)


def _scored_on(course):
    return {r["student"]: (r["worker"], r["auto_score"]) for r in Ledger(course).records()}


@pytest.mark.slow
def test_a_worker_without_mnist_is_refused_at_start_up(two_workers, capfd):
    client, names, tmp = two_workers
    course = _mnist_course(tmp / "startup")
    results = grade_parallel(course, MNIST_TINY, client=client, progress=False)
    assert {r.student: r.status for r in results} == {f"s{i}": "graded" for i in range(4)}
    assert _scored_on(course) == {f"s{i}": (names["good"], 1.0) for i in range(4)}
    err = capfd.readouterr().err
    assert f"worker {names['bad']} refused: cannot load MNIST" in err and "MNIST_DIR" in err


@pytest.mark.slow
def test_a_worker_found_unfit_by_a_job_hands_its_jobs_on(two_workers, monkeypatch, capfd):
    """A worker that passed (or missed) the start-up survey is checked again by each job on it."""
    client, names, tmp = two_workers
    course = _mnist_course(tmp / "per-job")
    monkeypatch.setattr(coordinator, "survey", lambda dask, mnist, moons=False: {a: dict(FIT) for a in names.values()})
    results = grade_parallel(course, MNIST_TINY, client=client, progress=False)
    assert {r.student: r.status for r in results} == {f"s{i}": "graded" for i in range(4)}
    assert _scored_on(course) == {f"s{i}": (names["good"], 1.0) for i in range(4)}
    assert f"worker {names['bad']} refused: cannot load MNIST" in capfd.readouterr().err


@pytest.mark.slow
def test_the_run_stops_with_the_reason_when_no_worker_can_grade(two_workers, monkeypatch):
    client, names, tmp = two_workers
    course = _mnist_course(tmp / "none")
    monkeypatch.setattr(coordinator, "survey", lambda dask, mnist, moons=False: {
        a: dict(FIT, mnist="cannot load MNIST (gone)") for a in names.values()})
    with pytest.raises(CourseError, match="no worker can grade mnist_tiny") as caught:
        grade_parallel(course, MNIST_TINY, client=client, progress=False)
    assert names["bad"] in str(caught.value) and names["good"] in str(caught.value)
    assert not Ledger(course).records()


def test_the_local_cluster_runs_without_dask_profiler():
    """Dask's sampling profiler would take CPU from the kernels on every worker; the local cluster turns it off."""
    import dask
    import distributed  # noqa: F401 - its configuration defaults

    from autograder.engine.coordinator import open_client

    assert dask.config.get("distributed.worker.profile.enabled")  # Dask's default, left as it is here
    with open_client(workers=1) as client:
        enabled = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
    assert list(enabled.values()) == [False]
    assert dask.config.get("distributed.worker.profile.enabled")
