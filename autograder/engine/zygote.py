"""Forked kernels: each grading worker keeps one preloaded *zygote* process and forks its kernels from it.

Why: a kernel started the usual way spends about 0.4-0.7 s of CPU before the notebook's first cell
(Python itself, ipykernel, then the guard's imports of numpy, matplotlib and the check library), and a
graded batch starts one kernel per submission on cores that are busy grading. The zygote imports all
of that once; a kernel forked from it shares those pages and starts with only ipykernel's own setup.

The zygote is ``python -m autograder.engine.zygote FD``: started by the worker with the environment its
kernels get (what Python, glibc, numpy and matplotlib read while they start: threads, arenas, backend),
it imports `PRELOAD`, says it is ready on the socket ``FD`` and then, for each request on that socket,
forks a child that becomes exactly what ``python -m autograder.engine.kernel_launcher ARGS`` would be
(`kernel_launcher.main`, so the limits, the sandbox and the guard are applied in the child, before any
student code): in a new session (its own process group, as jupyter_client starts kernels), stdin from
``/dev/null``, in the requested working directory, with the requested environment. The zygote reaps
its children and reports each exit status, which the worker's `ForkedProcess` returns like
``Popen.returncode`` does. The zygote is single-threaded (forking a process with threads is unsafe),
never runs student code, and is killed with its worker (``PR_SET_PDEATHSIG``); its kernels die with it.

What ipykernel reads from the environment when it is imported (``JPY_PARENT_PID``, the parent the kernel
watches) is passed to the forked kernel as an option instead (`_read_at_import`), and what the preloads print
while they are imported goes to /dev/null (`_quiet`), as a cold kernel's goes into its own output streams.
What a forked kernel shares with its siblings and would not share when started cold: the string hash
seed (``PYTHONHASHSEED``: the order of a set of strings is random per zygote, not per kernel).
Random generators are reseeded in the child (Python's ``random`` itself, numpy's global generator
here). A request the zygote cannot serve (another interpreter, an environment that differs in more
than the per-kernel variables `PER_KERNEL_ENV`) is launched the usual way by `ForkingProvisioner`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import sys

#: Modules a graded kernel imports before its first cell (`kernel_launcher`, ipykernel's kernel and debugger,
#: the guard's imports), then those the course's setup cells import. Importing them has no effect beyond the
#: module itself here: with ``MPLBACKEND=Agg`` (the engine's kernels) the inline backend only configures a
#: shell that exists, and none does in the zygote.
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.debugger", "IPython.core.debugger",
           "IPython.core.completerlib", "numpy", "math", "autograder.checks", "matplotlib", "matplotlib.font_manager",
           "autograder.judge.server", "autograder.engine.guard", "autograder.engine.kernel_launcher",
           "resource", "ctypes", "matplotlib.pyplot", "matplotlib_inline.backend_inline", "autograder.data")
#: Environment variables that may differ between the zygote and the kernels it forks (read only after start).
PER_KERNEL_ENV = frozenset({"TMPDIR", "JUPYTER_PATH", "JPY_PARENT_PID"})
#: The module a forked child runs as ``__main__`` would (``python -m`` of it).
LAUNCHER = "autograder.engine.kernel_launcher"


def _send(sock: socket.socket, message: dict) -> None:
    sock.sendall((json.dumps(message) + "\n").encode())


def _child(request: dict, keep_out: list[int], zygote_path0: str, in_session: int) -> None:
    """In the forked child: become the kernel the request describes; never returns.

    ``in_session`` is closed once the child leads its own session and process group: the zygote reports the
    kernel's pid only then, so a ``killpg`` of it right after the start finds the group.
    """
    code = 1
    try:
        try:
            os.setsid()
        finally:
            os.close(in_session)
        signal.set_wakeup_fd(-1)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        for fd in keep_out:
            os.close(fd)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        import tempfile

        tempfile.tempdir = None  # TMPDIR is the job's own: read it again
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()  # the global generator was seeded in the zygote
        # as under ``python -m``: the working directory first on sys.path (kernel_launcher takes it off again)
        if sys.path and sys.path[0] == zygote_path0:
            sys.path[0] = os.getcwd()
        from . import kernel_launcher

        args = list(request["args"]) + _read_at_import()
        sys.argv = [kernel_launcher.__file__] + args
        kernel_launcher.main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - reported on the kernel's stderr, like a failed start
        import traceback

        traceback.print_exc()
    finally:
        try:  # what the interpreter does when a cold kernel's main returns
            import atexit

            atexit._run_exitfuncs()
        except BaseException:  # noqa: BLE001
            pass
        for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os._exit(code)


def _read_at_import() -> list[str]:
    """Options a cold kernel takes from its environment when it imports ipykernel, which happened in the zygote.

    ipykernel reads ``JPY_PARENT_PID`` into the default of ``IPKernelApp.parent_handle`` at import: without
    it the kernel would not watch its parent and would print its connection banner on the worker's terminal.
    """
    pid = os.environ.get("JPY_PARENT_PID")
    return [f"--IPKernelApp.parent_handle={int(pid)}"] if pid and pid.isdigit() else []


@contextlib.contextmanager
def _quiet():
    """Standard output and error to /dev/null for a while (what the preloads print at import, e.g. debugpy's
    note on frozen modules, would otherwise reach the worker's terminal; a cold kernel prints it into its
    own output streams, where nobody reads it)."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    saved = [os.dup(1), os.dup(2)]
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        os.dup2(null, 2)
        yield
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in saved + [null]:
            os.close(fd)


def serve(fd: int) -> None:
    """The zygote's loop: preload, say ready, then fork on request and report exits until the socket closes."""
    import importlib
    import selectors

    from .kernel_launcher import _die_with_parent

    _die_with_parent()
    sock = socket.socket(fileno=fd)
    failed = []
    with _quiet():
        for name in PRELOAD:
            try:
                importlib.import_module(name)
            except ImportError as exc:  # what a cold kernel would also lack (matplotlib is optional)
                failed.append(f"{name}: {exc}")
    wake_r, wake_w = os.pipe()
    os.set_blocking(wake_w, False)
    os.set_blocking(wake_r, False)
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.set_wakeup_fd(wake_w)
    _send(sock, {"ready": os.getpid(), "missing": failed})
    path0 = sys.path[0] if sys.path else ""
    selector = selectors.DefaultSelector()
    selector.register(sock, selectors.EVENT_READ)
    selector.register(wake_r, selectors.EVENT_READ)
    buffer = b""
    while True:
        for key, _ in selector.select():
            if key.fileobj == wake_r:
                try:
                    while os.read(wake_r, 512):
                        pass
                except BlockingIOError:
                    pass
                _reap(sock)
                continue
            data = sock.recv(1 << 20)
            if not data:
                return  # the worker has gone: so do we (and our kernels, by their PR_SET_PDEATHSIG)
            buffer += data
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                request = json.loads(line)
                started_r, started_w = os.pipe()
                pid = os.fork()
                if pid == 0:
                    os.close(started_r)
                    _child(request, [sock.fileno(), wake_r, wake_w, selector.fileno()], path0, started_w)
                os.close(started_w)
                try:
                    os.read(started_r, 1)  # end of file: the child has its own session (or has ended)
                finally:
                    os.close(started_r)
                _send(sock, {"pid": pid})
        _reap(sock)


def _reap(sock: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(sock, {"exit": pid, "code": os.waitstatus_to_exitcode(status)})


if __name__ == "__main__":
    serve(int(sys.argv[1]))
