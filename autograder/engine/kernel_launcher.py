"""Start an IPython kernel under resource limits (the ``argv`` of the grading engine's kernelspec).

``python -m autograder.engine.kernel_launcher --memory-mb M -f CONNECTION_FILE [ipykernel options]``

* ``--memory-mb M`` caps the kernel's address space (``RLIMIT_AS``) at ``M`` MiB, so an allocation
  beyond it raises ``MemoryError`` in the cell instead of exhausting the machine; ``0`` means no cap.
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


def split_args(argv: list[str]) -> tuple[int, list[str]]:
    """Separate ``--memory-mb M`` (or ``--memory-mb=M``) from the arguments meant for ipykernel.

    Parameters
    ----------
    argv : list of str

    Returns
    -------
    memory_mb, rest : int, list of str
    """
    memory_mb, rest, i = 0, [], 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--memory-mb" and i + 1 < len(argv):
            memory_mb, i = int(argv[i + 1]), i + 2
            continue
        if arg.startswith("--memory-mb="):
            memory_mb = int(arg.split("=", 1)[1])
        else:
            rest.append(arg)
        i += 1
    return memory_mb, rest


def main(argv: list[str] | None = None) -> None:
    """Apply the limits, then run ipykernel in this process."""
    memory_mb, rest = split_args(sys.argv[1:] if argv is None else argv)
    _die_with_parent()
    if memory_mb > 0:
        _limit_memory(memory_mb)
    # What ipykernel_launcher does: keep the working directory off sys.path while ipykernel loads
    # (InteractiveShellApp.init_path adds it back).
    if sys.path and (sys.path[0] == "" or Path(sys.path[0]) == Path.cwd()):
        del sys.path[0]
    from ipykernel import kernelapp

    sys.argv = [sys.argv[0]] + rest
    kernelapp.launch_new_instance()


if __name__ == "__main__":
    main()
