"""`GuardedExecute`: nbgrader's ``Execute`` under the grading limits, on a worker.

It adds to ``Execute`` a whole-notebook watchdog, a kernel that dies or does not start turning into errors
in the cells that did not run, a cap on the output a notebook keeps, the guard's findings, timings, and a
copy of the executed notebook left in a capture directory for the coordinator.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import nbformat
from nbgrader.preprocessors import Execute
from traitlets import Any, Dict, Float, Unicode

from .jobs import DEFAULT_OUTPUT_MB
from .kernel_launcher import TRUNCATED, truncation_note


#: ``ename`` of the error output put into a cell a limit stopped, and into every cell after it.
NOTEBOOK_TIMEOUT = "NotebookTimeoutError"


KERNEL_DIED = "DeadKernelError"


KERNEL_START = "KernelStartError"


TAMPERED = "GradingIntegrityError"


EXECUTION_STOPPED = "ExecutionStoppedError"


#: Characters kept of each text of an error or a result that arrives after the output cap.
KEEP_CHARS = 2000


#: Seconds nbclient waits for a cell's last output after its reply, once the cell hit the output cap
#: (nbclient's ``iopub_timeout``, 4 s, is too short to work through a backlog of dropped output).
CAP_IOPUB_TIMEOUT = 60


def _cell_name(cell, index: int) -> str:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {index} ({grade_id})" if grade_id else f"cell {index}"


def _text_size(value) -> int:
    if isinstance(value, str):
        return len(value.encode("utf-8", "surrogatepass"))
    if isinstance(value, list):
        return sum(_text_size(v) for v in value)
    return len(json.dumps(value, default=str))


def output_size(content: dict) -> int:
    """Bytes of text an output message (stream, display data, result, error) adds to a notebook."""
    return sum(_text_size(content.get(key, "")) for key in ("text", "data", "evalue", "traceback"))


def _shorten(text, limit: int = KEEP_CHARS) -> str:
    text = "".join(text) if isinstance(text, list) else str(text)
    return text if len(text) <= limit else text[:limit] + " [...]"


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` that always returns a notebook: a limit or a dead kernel errors the rest.

    Output cap (`output_limit_mb`): the text of the stream, display and result outputs a notebook
    holds is counted as the messages arrive (what ``clear_output`` removes stops counting). Past the
    cap, the rest of a stream message is cut, later stream and display outputs of the cell are
    dropped and one note ``[output truncated: ...]`` is added per stream (stdout, stderr) of the
    cell, so nbgrader grades the cell as it would have: stderr output still gives a test cell 0,
    stdout alone does not. Errors and ``execute_result`` outputs are always kept (they decide the
    grade), their texts shortened to `KEEP_CHARS` characters. The cell keeps running: a cell that
    prints forever is stopped by the cell timeout. Each cell that hits the cap adds a reason, and
    may take up to `CAP_IOPUB_TIMEOUT` s to deliver its last (dropped) output. The kernel caps its
    own streams too (``kernel_launcher``), so a printing loop floods neither side.
    """

    notebook_timeout = Float(0, help="Seconds all cells together may run; the kernel is killed after "
                             "that (0: no limit).").tag(config=True)
    guard_report = Unicode("", help="File where the kernel guard writes what it found tampered with; "
                           "when it exists after the run, every test cell scores 0.").tag(config=True)
    capture_dir = Unicode("", help="Directory where the executed notebook (<notebook>.ipynb) and its "
                          "timings and limit reasons (<notebook>.json) are written.").tag(config=True)
    output_limit_mb = Float(DEFAULT_OUTPUT_MB, help="MiB of stream, display and result output a notebook "
                            "keeps; later output is dropped with a note (0: no cap).").tag(config=True)
    kernel_env = Dict(help="The whole environment the kernel starts with (and restarts "
                      "with); empty: this process's environment, as nbclient does.").tag(config=True)
    warm_kernel = Any(None, allow_none=True, help="A kernel already started for this notebook (a "
                      "`warm_kernels.Spare`): its take(kernel_name, cwd, arguments) gives the kernel manager once, "
                      "when it was launched as this notebook's kernel would be; otherwise the kernel starts "
                      "cold. Either way the kernel is shut down after the notebook.").tag(config=True)

    _held = 0             # bytes of output kept by the cells before the current one
    _cell_bytes = 0       # ... by the current cell
    _cell_notes: set = set()
    _cap_reasons: list = []
    _cap_cells: set = set()

    def start_output_count(self) -> None:
        """Forget the output counted so far (at the start of a notebook)."""
        self._held, self._cap_reasons, self._cap_cells = 0, [], set()
        self._clear_cell_count()

    def _left(self) -> float:
        cap = self.output_limit_mb * 1024 * 1024
        return cap - self._held - self._cell_bytes if cap > 0 else float("inf")

    def _clear_cell_count(self) -> None:
        self._cell_bytes, self._cell_notes = 0, set()

    def _over_cap(self, outs: list | None, cell_index: int, stream: str) -> None:
        """Note (once per stream of the cell; not when ``outs`` is None: the kernel wrote it) and
        reason (once per cell) for output dropped at the cap."""
        if stream not in self._cell_notes:
            self._cell_notes.add(stream)
            if outs is not None:
                outs.append(nbformat.v4.new_output("stream", name=stream, text=truncation_note(self.output_limit_mb)))
        if cell_index not in self._cap_cells:
            self._cap_cells.add(cell_index)
            self.iopub_timeout = max(self.iopub_timeout or 0, CAP_IOPUB_TIMEOUT)
            self._cap_reasons.append(
                f"output cap: {_cell_name(self.nb.cells[cell_index], cell_index)} printed more than the "
                f"notebook's {self.output_limit_mb:g} MiB of output; the rest of its output was dropped")

    def output(self, outs, msg, display_id, cell_index):
        """nbclient's output hook, with the output cap (see the class docstring)."""
        if self.output_limit_mb <= 0 or self.output_hook_stack[msg["parent_header"].get("msg_id")]:
            return super().output(outs, msg, display_id, cell_index)
        if getattr(self, "clear_before_next_output", False):  # the delayed clear_output nbclient runs now
            outs[:] = []
            self.clear_display_id_mapping(cell_index)
            self.clear_before_next_output = False
            self._clear_cell_count()
        kind, content = msg["header"]["msg_type"], msg["content"]
        size, left = output_size(content), self._left()
        if size <= left:
            self._cell_bytes += size
            if kind == "stream" and TRUNCATED in content.get("text", ""):  # the kernel's cap (kernel_launcher)
                self._over_cap(None, cell_index, content.get("name", "stdout"))
            return super().output(outs, msg, display_id, cell_index)
        if kind == "stream":
            name = content.get("name", "stdout")
            keep = str(content.get("text", "")).encode("utf-8", "surrogatepass")[:max(0, int(left))]
            out = None
            if keep:
                text = keep.decode("utf-8", "ignore")
                self._cell_bytes += len(keep)
                out = super().output(outs, dict(msg, content=dict(content, text=text)), display_id, cell_index)
            self._over_cap(outs, cell_index, name)
            return out
        if kind == "execute_result":
            plain = _shorten(content.get("data", {}).get("text/plain", ""))
            short = dict(content, data={"text/plain": plain}, metadata={})
        elif kind == "error":
            trace = [_shorten(line) for line in content.get("traceback", [])]
            short = dict(content, evalue=_shorten(content.get("evalue", "")),
                         traceback=trace if len(trace) <= 100 else trace[:50] + ["[...]"] + trace[-49:])
        else:  # display data: dropped
            self._over_cap(outs, cell_index, "stdout")
            return None
        self._cell_bytes += output_size(short)
        out = super().output(outs, dict(msg, content=short), display_id, cell_index)
        if short != content:
            self._over_cap(outs, cell_index, "stdout")
        return out

    def clear_output(self, outs, msg, cell_index):
        """nbclient's clear_output hook: what is cleared stops counting against the cap."""
        hooked = self.output_hook_stack[msg["parent_header"].get("msg_id")]
        super().clear_output(outs, msg, cell_index)
        if not hooked and not msg["content"].get("wait"):
            self._clear_cell_count()

    def _update_display_id(self, display_id, msg):
        """Updates of a display: refused when their data would not fit under the cap."""
        if self.output_limit_mb > 0 and output_size(msg["content"]) > self._left():
            return
        super()._update_display_id(display_id, msg)

    async def async_start_new_kernel_client(self):
        """nbclient's, with a readiness check that ends as soon as the kernel answered and IOPub is connected.

        jupyter_client's ``wait_for_ready`` then also waits for 0.2 s of silence on IOPub, a fixed 0.2 s of
        every notebook (most of a warm kernel's start). What it would have drained belongs to no cell:
        nbclient keeps only the outputs whose parent is the cell's own request.
        """
        from queue import Empty

        from nbclient.util import ensure_async, run_hook

        self.kc = self.km.client()
        try:
            await ensure_async(self.kc.start_channels())
            deadline = time.monotonic() + self.startup_timeout
            while True:
                self.kc.kernel_info()
                try:
                    reply = await ensure_async(self.kc.shell_channel.get_msg(timeout=1))
                except Empty:
                    reply = None
                if reply is not None and reply["msg_type"] == "kernel_info_reply":
                    try:  # a status message on IOPub: its subscription is connected
                        await ensure_async(self.kc.iopub_channel.get_msg(timeout=0.2))
                        self.kc._handle_kernel_info_reply(reply)
                        break
                    except Empty:
                        pass
                if not await ensure_async(self.km.is_alive()):
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {self.startup_timeout:g} seconds")
        except Exception as exc:
            self.log.error("Error occurred while starting new kernel client for kernel %s: %s",
                           getattr(self.km, "kernel_id", None), exc)
            await self._async_cleanup_kernel()
            raise
        self.kc.allow_stdin = False
        await run_hook(self.on_notebook_start, notebook=self.nb)
        return self.kc

    def start_new_kernel_client(self):
        """The synchronous face of `async_start_new_kernel_client` (what ``setup_kernel`` calls)."""
        from nbclient.util import run_sync

        return run_sync(self.async_start_new_kernel_client)()

    async def _async_cleanup_kernel(self) -> None:
        """nbclient's, except that an immediate shutdown kills and reaps the kernel first.

        jupyter_client's immediate shutdown sends SIGKILL and then polls for the exit every 0.1 s, so every
        notebook waited a full 0.1 s for a kernel that was gone within a millisecond. Here the kernel's
        process group is killed and the kernel reaped at once; nbclient then finds it dead and only releases
        the connection files, sockets and channels.
        """
        from nbclient.client import NotebookClient

        if self.shutdown_kernel == "immediate":
            self._kill_kernel()
            process = getattr(getattr(self.km, "provisioner", None), "process", None)
            if process is not None:
                try:
                    process.wait(timeout=5)
                except Exception:  # noqa: BLE001 - still alive or not ours to reap: nbclient's shutdown follows
                    pass
        await NotebookClient._async_cleanup_kernel(self)

    def _cleanup_kernel(self) -> None:
        """The synchronous face of `_async_cleanup_kernel` (what ``setup_kernel`` calls on its way out)."""
        from nbclient.util import run_sync

        return run_sync(self._async_cleanup_kernel)()

    def _kill_kernel(self) -> None:
        process = getattr(getattr(self.km, "provisioner", None), "process", None)
        if process is None:
            return
        try:  # the kernel leads its own session: take whatever it started with it
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            try:
                process.kill()
            except OSError:
                pass

    def _error_rest(self, start: int, ename: str, message: str) -> None:
        for cell in self.nb.cells[start:]:
            if cell.cell_type == "code":
                cell.setdefault("outputs", []).append(nbformat.v4.new_output(
                    "error", ename=ename, evalue=message, traceback=[f"{ename}: {message}"]))

    def _guard_findings(self) -> list[str]:
        """What the kernel guard reported (and the report removed, for the next notebook)."""
        path = Path(self.guard_report) if self.guard_report else None
        if path is None or not path.exists():
            return []
        found = [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        path.unlink()
        return found or ["the kernel guard ended the kernel"]

    def extra_info(self) -> dict:
        """More figures for the capture's ``<notebook>.json`` (none here; see ``JudgedExecute``)."""
        return {}

    def preprocess(self, nb, resources=None, km=None):
        """Execute every cell like nbconvert's ExecutePreprocessor; never raise for the notebook's sake."""
        from nbclient.client import NotebookClient
        from nbclient.exceptions import DeadKernelError

        warm = None
        if km is None and self.warm_kernel is not None:
            from .warm_kernels import launch_arguments

            name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name") or ""
            cwd = (resources or {}).get("metadata", {}).get("path") or os.getcwd()
            km = warm = self.warm_kernel.take(name, cwd, launch_arguments(name, self.extra_arguments,
                                                                          self.ipython_hist_file))
        NotebookClient.__init__(self, nb, km)
        if warm is not None:
            self.owns_km = True  # this notebook's kernel: shut down after it, as one nbclient started
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        info = {"kernel_start_s": None, "execution_s": None, "reasons": [], "warnings": [], "kernel_failed": False,
                "warm_kernel": warm is not None}
        self.start_output_count()
        fired = threading.Event()
        self._watchdog = fired
        watchdog = None
        index, started, t0 = 0, False, time.perf_counter()
        t1 = t0
        try:
            with self.setup_kernel(**({"env": dict(self.kernel_env)} if self.kernel_env else {})):
                info_msg = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
                started, t1 = True, time.perf_counter()
                info["kernel_start_s"] = t1 - t0
                if self.notebook_timeout > 0:
                    watchdog = threading.Timer(self.notebook_timeout, lambda: (fired.set(), self._kill_kernel()))
                    watchdog.daemon = True
                    watchdog.start()
                try:
                    iopub_timeout = self.iopub_timeout
                    for index, cell in enumerate(self.nb.cells):
                        self._clear_cell_count()
                        try:
                            self.preprocess_cell(cell, resources, index)
                        finally:
                            self._held += self._cell_bytes
                            self.iopub_timeout = iopub_timeout
                    index = len(self.nb.cells)
                finally:
                    if watchdog is not None:
                        watchdog.cancel()
                    info["execution_s"] = time.perf_counter() - t1
        except Exception as exc:  # noqa: BLE001 - every failure becomes errors in the cells left
            where = _cell_name(self.nb.cells[index], index) if index < len(self.nb.cells) else "shutdown"
            if index >= len(self.nb.cells):
                info["warnings"].append(f"kernel shutdown: {type(exc).__name__}: {exc}")
            elif not started:
                ename, message = KERNEL_START, f"the kernel did not start: {type(exc).__name__}: {exc}"
                self._error_rest(0, ename, message)
                info["reasons"].append(message)
                info["kernel_failed"] = True
            elif fired.is_set():
                message = f"notebook timeout: cells ran past {self.notebook_timeout:g} s, kernel stopped in {where}"
                self._error_rest(index, NOTEBOOK_TIMEOUT, message)
                info["reasons"].append(message)
            elif isinstance(exc, DeadKernelError):
                message = f"the kernel died in {where} (exit, crash or memory)"
                self._error_rest(index, KERNEL_DIED, message)
                info["reasons"].append(message)
            else:
                message = f"execution stopped in {where}: {type(exc).__name__}: {exc}"
                self._error_rest(index, EXECUTION_STOPPED, message)
                info["reasons"].append(message)
        info["reasons"] = self._cap_reasons + info["reasons"]
        tampered = self._guard_findings()
        if tampered:
            message = ("the notebook changed what the grader relies on (" + "; ".join(tampered[:3])
                       + "): every test cell scores 0")
            for cell in self.nb.cells:
                meta = cell.get("metadata", {}).get("nbgrader", {})
                if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                    cell.setdefault("outputs", []).append(nbformat.v4.new_output(
                        "error", ename=TAMPERED, evalue=message, traceback=[f"{TAMPERED}: {message}"]))
            info["reasons"].insert(0, "tampering detected: " + "; ".join(tampered[:5]))
        self.set_widgets_metadata()
        info.update(self.extra_info())
        if self.capture_dir:
            capture = Path(self.capture_dir)
            capture.mkdir(parents=True, exist_ok=True)
            name = (resources or {}).get("nbgrader", {}).get("notebook", "notebook")
            (capture / f"{name}.ipynb").write_text(nbformat.writes(self.nb), encoding="utf-8")
            (capture / f"{name}.json").write_text(json.dumps(info), encoding="utf-8")
        return self.nb, self.resources
