"""``autograder.engine.guarded_execute.GuardedExecute`` on a real kernel: how a notebook's kernel ends."""

from __future__ import annotations

from pathlib import Path

import pytest
from nbformat.v4 import new_code_cell, new_notebook

from autograder.engine.guarded_execute import GuardedExecute

pytestmark = pytest.mark.xdist_group("engine")


def _gone(pid: int) -> bool:
    """No such process, not even a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "X"
    except OSError:
        return True


def _run(tmp_path: Path, shutdown: str, monkeypatch) -> tuple[int, list[str]]:
    """Execute a one-cell notebook; the kernel's pid, and whether jupyter_client polled for its exit."""
    from jupyter_client.manager import KernelManager

    polled = []
    real_wait = KernelManager._async_wait

    async def recording_wait(self, *args, **kwargs):
        polled.append("polled")
        return await real_wait(self, *args, **kwargs)

    monkeypatch.setattr(KernelManager, "_async_wait", recording_wait)
    nb = new_notebook(cells=[new_code_cell("import os\nprint(os.getpid())")],
                      metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    ex = GuardedExecute(shutdown_kernel=shutdown)
    ex.preprocess(nb, {"metadata": {"path": str(tmp_path)}})
    return int(nb.cells[0].outputs[0]["text"]), polled


def test_an_immediate_shutdown_kills_and_reaps_the_kernel_without_polling_for_its_exit(tmp_path, monkeypatch):
    pid, polled = _run(tmp_path, "immediate", monkeypatch)
    assert _gone(pid)  # killed and reaped before the notebook's step returned
    assert polled == []  # jupyter_client's 0.1 s exit polling was never needed


def test_a_graceful_shutdown_is_still_nbclients(tmp_path, monkeypatch):
    pid, polled = _run(tmp_path, "graceful", monkeypatch)
    assert _gone(pid)
    assert polled  # the kernel was asked to exit and jupyter_client waited for it, as before
