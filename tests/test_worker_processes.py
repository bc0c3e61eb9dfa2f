"""The local cluster's workers (``autograder.engine.worker_processes``): forked from a server that imported the
grading code, with the environment of their time, and nothing left behind when the cluster closes."""

from __future__ import annotations

import os
import sys
import time
from multiprocessing import forkserver

import pytest

from autograder.engine.coordinator import open_client
from autograder.engine.job_dir import THREAD_ENV

pytestmark = [pytest.mark.xdist_group("engine"),
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forkserver workers on Linux only")]


def _view():
    return {"preloaded": all(m in sys.modules for m in ("nbgrader.api", "autograder.judge.execute", "sqlalchemy")),
            "ppid": os.getppid(),
            "env": {k: os.environ.get(k) for k in ("AUTOGRADER_TEST_WORKER_ENV", *THREAD_ENV)}}


def _start_a_spare():
    """What a worker's first job does: a spare kernel, forked from the worker's zygote."""
    import nbformat

    sys.path.insert(0, os.path.join(os.path.dirname(__file__)))
    from autograder.engine.job_dir import KernelSettings
    from autograder.engine.jobs import Limits
    from autograder.engine.warm_kernels import SPARES, ZYGOTES
    from tiny_course import TINY, tiny_source

    settings = KernelSettings.for_job(Limits(), {f"{TINY}.ipynb": nbformat.writes(tiny_source()).encode()})
    SPARES.prepare(settings)
    spare = SPARES._next.result()
    return {"kernel": spare.km.provisioner.process.pid, "root": str(spare.job_dir.root),
            "zygotes": [z.process.pid for z in ZYGOTES._zygotes.values()]}


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] == "Z"
    except OSError:
        return True


def test_workers_fork_from_a_preloaded_server_with_this_environment(monkeypatch):
    monkeypatch.setenv("AUTOGRADER_TEST_WORKER_ENV", "first")
    with open_client(workers=2) as client:
        views = client.run(_view)
        server = forkserver._forkserver._forkserver_pid
        assert server is not None
    assert len(views) == 2
    for view in views.values():
        assert view["preloaded"]  # imported once, by the server, before the worker was forked
        assert view["ppid"] == server != os.getpid()
        assert view["env"] == {"AUTOGRADER_TEST_WORKER_ENV": "first", **THREAD_ENV}
    assert forkserver._forkserver._forkserver_pid is None and _gone(server)  # stopped with the cluster
    # the next cluster's server is a new one, with the environment of its time
    monkeypatch.setenv("AUTOGRADER_TEST_WORKER_ENV", "second")
    with open_client(workers=1) as client:
        [view] = client.run(_view).values()
    assert view["env"]["AUTOGRADER_TEST_WORKER_ENV"] == "second"


def test_a_forked_worker_leaves_no_kernel_zygote_or_folder_behind():
    with open_client(workers=1) as client:
        [seen] = client.run(_start_a_spare).values()
    deadline = time.time() + 30
    pids = [seen["kernel"], *seen["zygotes"]]
    while not all(_gone(p) for p in pids) and time.time() < deadline:
        time.sleep(0.1)
    assert seen["zygotes"] and all(_gone(p) for p in pids)
    assert not os.path.exists(seen["root"])
