"""The kernel guard on its own, in a fresh interpreter: what it refuses, what it allows, and that
replacing what the tests rely on ends the process with a report (the engine tests show the same in
real kernels, see test_adversarial.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from autograder.engine.guard import TAMPER_EXIT

PRELUDE = """
import os, sys, numpy, math, subprocess
import autograder.checks
from autograder.engine import guard
guard.install({report!r}, guard.default_read_roots(), [os.getcwd()])
def cell(src):  # what IPython does with a cell: compile under a cell's file name, then exec
    exec(compile(src, "<ipython-input-1-0>", "exec"), globals())
def refused(fn):
    try:
        fn()
    except PermissionError as exc:
        return "grading sandbox" in str(exc)
    return False
"""


def run(tmp_path, body: str) -> subprocess.CompletedProcess:
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    (tmp_path / "secret.txt").write_text("hidden tests")
    code = PRELUDE.format(report=str(tmp_path / "report.txt")) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], cwd=work, capture_output=True, text=True, timeout=120)


def test_files_outside_the_working_directory_are_refused(tmp_path):
    proc = run(tmp_path, """
        assert refused(lambda: open("../secret.txt").read())
        assert refused(lambda: open(os.path.abspath("../secret.txt")).read())
        assert refused(lambda: os.listdir(".."))
        assert refused(lambda: open("../new.txt", "w"))
        assert refused(lambda: os.remove("../secret.txt"))
        assert refused(lambda: os.symlink("../secret.txt", "link"))
        open("mine.txt", "w").write("ok")            # its own directory is writable
        assert open("mine.txt").read() == "ok"
        assert numpy.load.__module__                   # the installation is readable
        print("checked")
    """)
    assert proc.returncode == 0, proc.stderr
    assert "checked" in proc.stdout
    assert (tmp_path / "secret.txt").read_text() == "hidden tests"


def test_network_processes_signals_ctypes_and_gc_walks_are_refused(tmp_path):
    proc = run(tmp_path, """
        import socket, subprocess, gc, signal
        assert refused(lambda: socket.create_connection(("127.0.0.1", 9), timeout=1))
        assert refused(lambda: subprocess.run(["true"]))
        assert refused(lambda: os.system("true"))
        assert refused(lambda: os.fork())
        assert refused(lambda: os.kill(os.getppid(), signal.SIGKILL))
        assert refused(lambda: gc.get_objects())
        assert refused(lambda: sys.settrace(lambda *a: None))
        import ctypes
        assert refused(lambda: ctypes.CDLL(None))
        # _posixsubprocess.fork_exec starts processes without an audit event: it is gone and cannot come back
        assert "_posixsubprocess" not in sys.modules and subprocess._fork_exec is None
        assert refused(lambda: __import__("_posixsubprocess"))
        assert refused(lambda: numpy.fromfile("../secret.txt", dtype=numpy.uint8))
        assert refused(lambda: numpy.load("../secret.txt"))
        print("checked")
    """)
    assert proc.returncode == 0, proc.stderr
    assert "checked" in proc.stdout


def test_replacing_what_tests_rely_on_ends_the_process_with_a_report(tmp_path):
    proc = run(tmp_path, """
        cell("x = 1")                                   # the first cell: the snapshot
        cell("import autograder.checks as c; c.check_close = lambda *a, **k: None")
        cell("print('a later cell ran')")             # never runs: the guard ends the process first
    """)
    assert proc.returncode == TAMPER_EXIT, proc.stderr
    assert "a later cell ran" not in proc.stdout
    assert "autograder.checks.check_close was replaced" in (tmp_path / "report.txt").read_text()


def test_honest_cells_do_not_trip_the_guard(tmp_path):
    proc = run(tmp_path, """
        cell("x = 1")
        cell("import numpy as np\\nfrom autograder import checks\\ny = np.ones(3) * 2\\nz = checks.check_array(y, 'y')")
        cell("def f(a):\\n    return a + 1\\nnumpy.random.seed(0)\\nw = f(numpy.random.rand(2))")
        print("done")
    """)
    assert proc.returncode == 0, proc.stderr
    assert "done" in proc.stdout and not (tmp_path / "report.txt").exists()


def test_network_namespace_leaves_the_kernel_without_network():
    """Below Python: after `unshare_network`, even the host's loopback cannot be reached."""
    import socket

    import pytest

    from autograder.engine.sandbox import probe

    available, detail = probe()
    if not available:
        pytest.skip(f"no unprivileged user namespaces here: {detail}")
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    code = textwrap.dedent(f"""
        import socket
        from autograder.engine.sandbox import unshare_network
        def reach():
            try:
                socket.create_connection(("127.0.0.1", {port}), timeout=3).close()
                return True
            except OSError:
                return False
        before = reach()
        assert unshare_network() == ""
        print(before, reach())
    """)
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    finally:
        server.close()
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["True", "False"]


def test_proc_links_do_not_lead_outside(tmp_path):
    proc = run(tmp_path, """
        assert os.listdir("/proc")                        # ipykernel lists it at shutdown
        assert refused(lambda: open(f"/proc/{os.getpid()}/cwd/../secret.txt").read())
        assert refused(lambda: open(f"/proc/{os.getpid()}/root" + os.path.abspath("../secret.txt")).read())
        print("checked")
    """)
    assert proc.returncode == 0, proc.stderr
    assert "checked" in proc.stdout


def test_whole_snapshot_comparison_allows_added_names_and_finds_replaced_or_deleted_ones():
    from autograder.engine.guard import _diff, _same_or_grown

    old = {"numpy": (1, {"sum": 10, "mean": 11}), "math": (2, {"exp": 20})}
    assert _same_or_grown(old, {"numpy": (1, {"sum": 10, "mean": 11}), "math": (2, {"exp": 20})})
    grown = {"numpy": (1, {"sum": 10, "mean": 11, "lazy_submodule": 12}), "math": (2, {"exp": 20})}
    assert _same_or_grown(old, grown) and not _diff(old, grown, "")
    for changed in ({"numpy": (1, {"sum": 99, "mean": 11}), "math": (2, {"exp": 20})},   # replaced
                    {"numpy": (1, {"mean": 11}), "math": (2, {"exp": 20})},              # deleted
                    {"numpy": (3, {"sum": 10, "mean": 11}), "math": (2, {"exp": 20})},   # module swapped
                    {"numpy": (1, {"sum": 10, "mean": 11})}):                            # module removed
        assert not _same_or_grown(old, changed), changed
