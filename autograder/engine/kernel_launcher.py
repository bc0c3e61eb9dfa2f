"""Start an IPython kernel under resource limits (the ``argv`` of the grading engine's kernelspec).

``python -m autograder.engine.kernel_launcher --memory-mb M --output-mb N -f CONNECTION_FILE [ipykernel options]``

* ``--memory-mb M`` caps the kernel's address space (``RLIMIT_AS``) at ``M`` MiB, so an allocation
  beyond it raises ``MemoryError`` in the cell instead of exhausting the machine; ``0`` means no cap.
* ``--output-mb N`` caps what the kernel's ``sys.stdout`` and ``sys.stderr`` send (each, over the
  whole notebook) at ``N`` MiB: past it, the rest of each cell's writes to that stream is dropped and
  one `truncation_note` is written instead, on the same stream (so stderr output still counts as
  nbgrader counts it), and IPython's history of stream output is switched off (`forget_stream_history`).
  This keeps a printing loop from filling the kernel's memory and from flooding the messages and the
  grading worker; the worker's own cap (``GuardedExecute``) decides what is kept.
* ``--guard-report FILE [--guard-write DIR]`` installs the kernel `guard` (an audit hook: no files
  outside the notebook's directory, ``DIR`` and the Python installation, no network, no processes,
  no ``ctypes``; tampering with what the tests rely on ends the kernel, with the finding in ``FILE``).
* ``--judge`` installs the judge's request handler (`autograder.judge.server`): the judge, in the
  grading worker, runs the test cells and calls the student's code through it with data only.
* ``--isolate-network`` starts the kernel in its own network namespace (`sandbox`); the worker then
  talks to it over IPC sockets.
* On Linux the kernel asks to be killed when the process that started it dies
  (``PR_SET_PDEATHSIG``), so a killed grading worker leaves no kernel behind.

Everything else is handed to ``ipykernel`` unchanged, exactly as ``python -m ipykernel_launcher``
would get it, so the kernel behaves like the standard ``python3`` kernel.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _limit_memory(megabytes: int) -> None:
    import resource

    limit = int(megabytes) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _die_with_parent() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - best effort
        pass


#: Start of the note that replaces output dropped at an output cap (kernel side and worker side).
TRUNCATED = "[output truncated:"


def truncation_note(megabytes: float) -> str:
    """The line that stands for the output a cell lost to the output cap."""
    return f"\n{TRUNCATED} the notebook printed more than {megabytes:g} MiB; further output of this cell was dropped]\n"


def split_args(argv: list[str], option: str = "--memory-mb", kind=int):
    """Separate ``OPTION VALUE`` (or ``OPTION=VALUE``) from the other arguments.

    Parameters
    ----------
    argv : list of str
    option : str
    kind : callable
        Converts the value (default ``int``; 0 when the option is absent).

    Returns
    -------
    value, rest : kind, list of str
    """
    value, rest, i = kind(0), [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == option and i + 1 < len(argv):
            value, i = kind(argv[i + 1]), i + 2
            continue
        if arg.startswith(option + "="):
            value = kind(arg.split("=", 1)[1])
        else:
            rest.append(arg)
        i += 1
    return value, rest


def cap_stream(stream, megabytes: float) -> None:
    """Make an ipykernel ``OutStream`` drop what it is given past ``megabytes`` MiB (see the module docstring)."""
    write, limit, state = stream.write, int(megabytes * 1024 * 1024), {"used": 0, "cell": None}

    def capped(text):
        if not isinstance(text, str):
            return write(text)  # the stream's own TypeError
        left = limit - state["used"]
        if len(text) <= left:
            state["used"] += len(text)
            return write(text)
        if left > 0:
            write(text[:left])
            state["used"] = limit
        header = stream.parent_header or {}
        cell = header.get("msg_id") if isinstance(header, dict) else None
        if state["cell"] != cell or cell is None:
            state["cell"] = cell
            write(truncation_note(megabytes))
        return len(text)

    stream.write = capped


def forget_stream_history(shell) -> None:
    """Stop IPython (>= 9) from keeping every string written to stdout and stderr in its history.

    ``InteractiveShell.run_cell`` tees both streams into ``history_manager.outputs``, so a printing
    loop fills the kernel's memory even when nothing is sent; graded kernels do without that history.
    """
    import contextlib

    if shell is not None and hasattr(shell, "_tee"):
        shell._tee = lambda channel: contextlib.nullcontext()


def install_guard(report: str, write_dirs: list[str], shell, judge: bool = False) -> None:
    """Load what the tests rely on, then install `guard` (before the first cell runs)."""
    import importlib
    import os

    for name in ("numpy", "math", "autograder.checks", "matplotlib", "matplotlib.font_manager"):
        try:  # imported now, so the guard's snapshot holds the real modules and matplotlib's font cache exists
            importlib.import_module(name)
        except ImportError:  # pragma: no cover - matplotlib is optional for the engine
            pass
    from .guard import default_read_roots, install

    # Under the judge, test code never uses the notebook's names: rebinding ``np`` is harmless there.
    install(report, default_read_roots() + [os.getcwd()], [os.getcwd()] + write_dirs, shell=shell,
            check_aliases=not judge)


def main(argv: list[str] | None = None) -> None:
    """Apply the limits, then run ipykernel in this process."""
    output_mb, rest = split_args(sys.argv[1:] if argv is None else argv, "--output-mb", float)
    guard_report, rest = split_args(rest, "--guard-report", lambda v: "" if v == 0 else str(v))
    guard_write, rest = split_args(rest, "--guard-write", lambda v: "" if v == 0 else str(v))
    isolate = "--isolate-network" in rest
    judge = "--judge" in rest
    rest = [a for a in rest if a not in ("--isolate-network", "--judge")]
    memory_mb, rest = split_args(rest)
    if isolate:  # first, while this process is single-threaded
        from .sandbox import unshare_network

        error = unshare_network()
        if error:
            print(f"autograder kernel: no network namespace ({error})", file=sys.stderr)
    _die_with_parent()
    if memory_mb > 0:
        _limit_memory(memory_mb)
    # What ipykernel_launcher does: keep the working directory off sys.path while ipykernel loads
    # (InteractiveShellApp.init_path adds it back).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [sys.argv[0]] + rest
    app = IPKernelApp.instance()  # what ipykernel's launch_new_instance does, with the streams capped
    app.initialize()
    if output_mb > 0:
        for stream in (sys.stdout, sys.stderr):
            if hasattr(stream, "parent_header"):
                cap_stream(stream, output_mb)
        forget_stream_history(app.shell)
    if judge:  # before the guard, whose snapshot then covers the handler too
        from ..judge.server import install as install_judge

        install_judge(app.shell)
    if guard_report:
        install_guard(guard_report, [guard_write] if guard_write else [], app.shell, judge)
    app.start()


if __name__ == "__main__":
    main()
