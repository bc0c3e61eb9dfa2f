"""Forked kernels (``autograder.engine.zygote``, ``autograder.engine.forked_kernels``): a spare's kernel is
forked from the worker's preloaded zygote and is, to the notebook and to the engine, the kernel a cold
start would give: same directory, environment, limits, guard and judge; its own process group, exit
status and random numbers; and it dies with its zygote."""

from __future__ import annotations

import json
import os
import signal
import time

import nbformat
import pytest

from autograder.engine import forked_kernels
from autograder.engine.forked_kernels import FORK_ENV, ForkedProcess, Zygotes, runs_launcher
from autograder.engine.job_dir import KernelSettings
from autograder.engine.jobs import Limits
from autograder.engine.warm_kernels import ZYGOTES, start_spare
from tiny_course import TINY, tiny_source

pytestmark = [pytest.mark.xdist_group("engine"),
              pytest.mark.skipif(not forked_kernels.forking_enabled(), reason="kernels are forked on Linux only")]

PROBE = """import os, sys, json, tempfile, random, numpy
print(json.dumps({"pid": os.getpid(), "ppid": os.getppid(), "pgid": os.getpgid(0), "cwd": os.getcwd(),
                  "tmp": tempfile.gettempdir(), "jupyter_path": os.environ.get("JUPYTER_PATH"),
                  "argv0": sys.argv[0], "np": numpy.random.rand(), "py": random.random(),
                  "stdin": os.readlink("/proc/self/fd/0"), "threads": len(os.listdir("/proc/self/task")),
                  "judge": "autograder.judge.server" in sys.modules,
                  "parent_handle": __import__("ipykernel.kernelapp").kernelapp.IPKernelApp.instance().parent_handle}))"""


def _settings(**limits) -> KernelSettings:
    return KernelSettings.for_job(Limits(**limits), {f"{TINY}.ipynb": nbformat.writes(tiny_source()).encode()})


def _run(km, code: str, timeout: float = 60) -> dict:
    """Execute ``code`` on the kernel; its stdout, stderr and error name."""
    client = km.blocking_client()
    client.start_channels()
    try:
        client.wait_for_ready(timeout=timeout)
        out = {"stdout": "", "stderr": "", "error": None}

        def hook(msg):
            if msg["msg_type"] == "stream":
                out[msg["content"]["name"]] += msg["content"]["text"]
            elif msg["msg_type"] == "error":
                out["error"] = msg["content"]["ename"]

        client.execute_interactive(code, timeout=timeout, output_hook=hook)
        return out
    finally:
        client.stop_channels()


def _probe(spare) -> dict:
    out = _run(spare.km, PROBE)
    assert out["error"] is None, out
    return json.loads(out["stdout"])


def test_spare_kernels_are_forked_and_look_like_cold_ones():
    settings = _settings()
    spares = [start_spare(settings) for _ in range(2)]
    try:
        views = []
        for spare in spares:
            assert spare.km.provisioner.forked, spare.km.provisioner.why_not
            view = _probe(spare)
            process = spare.km.provisioner.process
            assert isinstance(process, ForkedProcess) and view["pid"] == process.pid
            assert view["pgid"] == view["pid"]  # its own process group (killpg reaches it and its children)
            assert view["cwd"] == str(spare.job_dir.student) and view["tmp"] == str(spare.job_dir.root / "kernel-tmp")
            assert view["jupyter_path"] == spare.job_dir.jupyter_path
            assert view["argv0"].endswith(os.path.join("engine", "kernel_launcher.py"))
            assert view["stdin"] == "/dev/null" and view["judge"] is True and view["threads"] >= 1
            assert view["parent_handle"] == os.getpid()  # as from JPY_PARENT_PID in a cold kernel
            views.append(view)
        assert views[0]["ppid"] == views[1]["ppid"] != os.getpid()  # both from this worker's zygote
        assert views[0]["np"] != views[1]["np"] and views[0]["py"] != views[1]["py"]  # reseeded in each child
        # the guard is on, as in a cold kernel: the notebook's folder only
        denied = _run(spares[0].km, "open(os.path.expanduser('~/.bashrc'))")
        assert denied["error"] == "PermissionError", denied
    finally:
        for spare in spares:
            spare.discard()
    for view in views:
        assert not os.path.exists(f"/proc/{view['pid']}") or \
            open(f"/proc/{view['pid']}/stat").read().split()[2] == "Z"


def test_a_forked_kernels_exit_status_and_signals_reach_the_worker():
    spare = start_spare(_settings())
    try:
        process = spare.km.provisioner.process
        assert process.poll() is None
        client = spare.km.blocking_client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        client.execute("import os; os._exit(3)")
        assert process.wait(timeout=30) == 3 and process.poll() == 3
        client.stop_channels()
    finally:
        spare.discard()
    for _ in range(5):  # killed at once: its process group exists as soon as its pid is known
        spare = start_spare(_settings())
        try:
            process = spare.km.provisioner.process
            os.killpg(process.pid, signal.SIGKILL)  # what GuardedExecute does to a runaway kernel
            assert process.wait(timeout=30) == -signal.SIGKILL
            process.kill()  # a kernel that has ended: nothing to signal, no error
        finally:
            spare.discard()


def test_a_memory_cap_still_applies_in_a_forked_kernel():
    spare = start_spare(_settings(memory_mb=1024))
    try:
        assert spare.km.provisioner.forked
        out = _run(spare.km, "import numpy as np\nx = np.ones(2 * 1024**3 // 8)")
        assert out["error"] == "MemoryError", out
    finally:
        spare.discard()


def test_kernels_die_with_their_zygote_and_the_worker_falls_back_to_a_cold_start(monkeypatch):
    zygotes = Zygotes()
    monkeypatch.setattr("autograder.engine.warm_kernels.ZYGOTES", zygotes)
    spare = start_spare(_settings())
    try:
        process = spare.km.provisioner.process
        [zygote] = zygotes._zygotes.values()
        zygote.process.kill()
        assert process.wait(timeout=30) is not None  # PR_SET_PDEATHSIG
        deadline = time.time() + 30
        while not zygote.closed and time.time() < deadline:
            time.sleep(0.05)
        assert zygote.closed
    finally:
        spare.discard()
    spare = start_spare(_settings())  # a new zygote is started for the next one
    try:
        assert spare.km.provisioner.forked and spare.alive()
        assert spare.km.provisioner.process._zygote is not zygote
    finally:
        spare.discard()
        zygotes.close()


def test_forking_can_be_turned_off_and_other_commands_are_launched_as_usual(monkeypatch):
    monkeypatch.setenv(FORK_ENV, "0")
    spare = start_spare(_settings())
    try:
        assert not isinstance(spare.km.provisioner.process, ForkedProcess) and spare.alive()
    finally:
        spare.discard()
    import sys
    assert runs_launcher([sys.executable, "-m", "autograder.engine.kernel_launcher", "-f", "x.json"])
    assert not runs_launcher([sys.executable, "-m", "ipykernel_launcher", "-f", "x.json"])
    assert not runs_launcher(["/other/python", "-m", "autograder.engine.kernel_launcher", "-f", "x.json"])


def test_a_zygote_with_running_kernels_is_never_ended_for_another_environment(tmp_path):
    zygotes = Zygotes()
    zygotes.MAX = 1
    env, other = dict(os.environ), {**os.environ, "AUTOGRADER_TEST_OTHER": "1"}
    args = ["-f", str(tmp_path / "kernel.json")]
    try:
        first = zygotes.for_env(env)
        assert first is not None and zygotes.for_env(env) is first
        process = first.fork(args, env, str(tmp_path))
        zygotes.forked(first, process)
        process.kill()
        process.wait(timeout=30)
        second = zygotes.for_env(other)  # the first has no running kernel: it makes room
        assert second is not None and second is not first
        assert first.process.wait(timeout=30) is not None
        live = second.fork(args, other, str(tmp_path))
        zygotes.forked(second, live)
        assert live.poll() is None
        assert zygotes.for_env(env) is None and "running kernels" in zygotes.error  # would end `live`
        assert live.poll() is None
        live.kill()
        live.wait(timeout=30)
        assert zygotes.for_env(env) is not None
    finally:
        zygotes.close()


FDS = """import os, re, json, collections
kinds = collections.Counter()
for fd in os.listdir('/proc/self/fd'):
    try:
        kinds[re.sub(r':\\[\\d+\\]$', '', os.readlink('/proc/self/fd/' + fd)) if int(fd) > 2 else 'stdio'] += 1
    except OSError:
        pass
print(json.dumps(kinds))"""


def test_a_forked_kernel_holds_no_descriptor_of_its_zygote(monkeypatch):
    """The zygote's socket to the worker, its wake-up pipe and its event poll are closed in the child: the kernel
    has no open file of a kind, or in a number, that one started cold lacks (a student could reach the zygote)."""
    forked = start_spare(_settings())
    try:
        assert forked.km.provisioner.forked
        seen_forked = json.loads(_run(forked.km, FDS)["stdout"])
    finally:
        forked.discard()
    monkeypatch.setenv(FORK_ENV, "0")
    cold = start_spare(_settings())
    try:
        seen_cold = json.loads(_run(cold.km, FDS)["stdout"])
    finally:
        cold.discard()
    assert seen_forked["stdio"] == 3 and "anon_inode:[eventpoll]" in seen_cold
    assert all(n <= seen_cold.get(kind, 0) for kind, n in seen_forked.items()), (seen_forked, seen_cold)


def test_a_zygote_and_its_kernels_print_nothing_on_the_workers_terminal(capfd, monkeypatch):
    """A cold kernel prints nothing on the worker's own streams (ipykernel's connection banner is for kernels
    without a parent; what debugpy prints at import goes into the kernel's output streams): neither do the
    zygote's preloads, nor a kernel forked from it."""
    from autograder.engine import warm_kernels

    zygotes = Zygotes()  # a new zygote: its preloads run under the capture
    monkeypatch.setattr(warm_kernels, "ZYGOTES", zygotes)
    capfd.readouterr()
    try:
        spare = start_spare(_settings())
        try:
            assert spare.km.provisioner.forked, spare.km.provisioner.why_not
            assert _run(spare.km, "print('hello')")["stdout"] == "hello\n"
        finally:
            spare.discard()
    finally:
        zygotes.close()
    out, err = capfd.readouterr()
    assert "To connect another client" not in out + err and "Debugger warning" not in out + err, (out, err)
    assert out == "", out
