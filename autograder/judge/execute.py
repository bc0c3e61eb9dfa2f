"""`JudgedExecute`: nbgrader's Execute step with every autograded test cell run by the judge.

The student's kernel runs the notebook's other cells in order, as nbgrader would. At an autograded
test cell (``grade`` and not ``solution``) nothing is sent to the kernel: the judge, in this
(trusted) process, runs the test code in its own `JudgeNamespace`, reaching the student's objects
through `Session` with data only, and writes the cell's outputs itself:

* what the student's code prints during the cell (stdout and stderr alike: progress bars, logging,
  warnings) is kept as ordinary ``stdout`` output, so it never decides the grade;
* a failed check, an exception of the student's code (re-raised in the judge under its own type
  name, with the student's frames only) or a fault becomes one ``error`` output with the message,
  never a line of the test.

nbgrader's SaveAutoGrades then scores the cells from these outputs, as always.

Faults cost the cells they touched: a call past the cell timeout, or a kernel that dies (in a test
cell's call or in a student cell), fails that cell; the kernel is then restarted and the student's
cells before it are run again (at most `max_restarts` times per notebook), and grading goes on.

The given cells (locked, not graded) that the judge runs come from the instructor's source notebook
(`source_dir`), never from the submission.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
from traitlets import Bool, Float, Integer, Unicode

from ..engine.guarded_execute import KERNEL_DIED, GuardedExecute, _cell_name
from .link import CallTimeout, JudgeFault, KernelDied, KernelLink, StudentError
from .remote import JudgeNamespace, Session, defined_names
from .runner import run_code

#: ``ename`` of a test cell whose call ran past the cell timeout (``limit_reasons`` reads it).
CELL_TIMEOUT = "CellTimeoutError"
#: ``ename`` when the kernel answered the judge with something that is not data in the format.
PROTOCOL = "JudgeProtocolError"


def is_test_cell(cell) -> bool:
    """An autograded test cell: code, ``grade`` and not ``solution`` (nbgrader's definition)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_given_cell(cell) -> bool:
    """A locked code cell of the instructor's that is neither graded nor an answer."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return cell.cell_type == "code" and bool(meta.get("locked")) and not meta.get("grade") \
        and not meta.get("solution")


def _error(ename: str, evalue: str, trace=None) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue,
                                  traceback=list(trace or []) + [f"{ename}: {evalue}"])


class JudgedExecute(GuardedExecute):
    """`GuardedExecute` whose test cells are decided by the judge (see the module docstring)."""

    judge = Bool(True, help="Run autograded test cells in the judge (False: in the student's kernel, as plain "
                 "nbgrader does).").tag(config=True)
    source_dir = Unicode("", help="Directory of the assignment's source notebooks: the given (locked) cells the "
                         "judge runs are read from <source_dir>/<notebook>.ipynb.").tag(config=True)
    kernel_cwd = Unicode("", help="Working directory of the student's kernel (only the student's own files); "
                         "empty: nbgrader's.").tag(config=True)
    max_restarts = Integer(2, help="Kernel restarts per notebook after a fault (a cell past its timeout, a dead "
                           "kernel); past that, the cells left fail.").tag(config=True)
    max_reply_mb = Float(2048, help="MiB one reply of the kernel to the judge may have; larger replies are "
                         "dropped unread.").tag(config=True)

    # -------------------------------------------------------------- per notebook
    def preprocess(self, nb, resources=None, km=None):
        """Execute the notebook (see the module docstring); never raises for the notebook's sake."""
        self._link = None
        self._session = None
        self._ns = None
        self._cell_outs, self._cell_index = None, 0
        self._restarts = 0
        self._given, self._test_pos = self._read_source(resources)
        self._queued = 0
        self._judge_info = {"judge": bool(self.judge), "requests": 0, "round_trip_s": 0.0, "judge_s": 0.0,
                            "restarts": [], "given_errors": []}
        if self.judge:  # the given cells and tests build scaled MNIST once per worker, not per notebook
            from ..data.mnist import share_scaled_copies

            share_scaled_copies()
        if self.kernel_cwd:
            resources = resources if resources is not None else {}
            resources.setdefault("metadata", {})["path"] = self.kernel_cwd
        try:
            return super().preprocess(nb, resources, km)
        finally:
            self._close_link()

    def extra_info(self) -> dict:
        """What the judge adds to the capture's ``<notebook>.json``: ``{"judge": figures}`` (whether it judged,
        requests, round-trip and judge seconds, restarts, errors of given cells), for the grade log."""
        info = dict(self._judge_info)
        if self._link is not None:
            info["requests"] += self._link.requests
            info["round_trip_s"] += self._link.round_trip_s
        return {"judge": info}

    def _read_source(self, resources):
        """Given cells ``(position, names, source, grade_id)`` and test cell positions of the source notebook."""
        name = (resources or {}).get("nbgrader", {}).get("notebook", "")
        path = Path(self.source_dir) / f"{name}.ipynb" if self.source_dir and name else None
        if path is None or not path.exists():
            return [], {}
        source = nbformat.read(str(path), as_version=4)
        given, tests = [], {}
        for pos, cell in enumerate(source.cells):
            gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
            if is_given_cell(cell):
                given.append((pos, defined_names(cell.source), cell.source, gid))
            elif is_test_cell(cell):
                tests[gid] = pos
        return given, tests

    # -------------------------------------------------------------- the kernel link
    def _close_link(self) -> None:
        if self._link is not None:
            self._judge_info["requests"] += self._link.requests
            self._judge_info["round_trip_s"] += self._link.round_trip_s
            try:
                self._link.close()
            except Exception:  # noqa: BLE001 - closing sockets of a dead kernel
                pass
        self._link = None

    def _open_session(self, deadline) -> Session:
        if self._link is None:
            self._link = KernelLink(self.km, on_output=self._kernel_output,
                                    max_reply_bytes=int(self.max_reply_mb * 1024 * 1024))
            self._session = Session(self._link, deadline)
            if self._ns is None:
                self._ns = JudgeNamespace(self._session)
            self._ns.session = self._session
        self._session.deadline = deadline
        return self._session

    def _kernel_output(self, msg) -> None:
        """An iopub message caused by a request: kept (stderr as stdout) in the running test cell."""
        if self._cell_outs is None:
            return
        kind = msg.get("msg_type")
        if kind == "stream":
            msg = dict(msg, content=dict(msg["content"], name="stdout"))
        if kind in ("stream", "display_data"):
            self.output(self._cell_outs, msg, None, self._cell_index)
        elif kind == "clear_output":
            self.clear_output(self._cell_outs, msg, self._cell_index)

    def _judge_print(self, text: str) -> None:
        if self._cell_outs is not None:
            msg = {"msg_type": "stream", "header": {"msg_type": "stream"}, "parent_header": {"msg_id": "judge"},
                   "content": {"name": "stdout", "text": text}}
            self.output(self._cell_outs, msg, None, self._cell_index)

    # -------------------------------------------------------------- cells
    def preprocess_cell(self, cell, resources, index):
        """A test cell goes to the judge; any other cell to the kernel (restarted after it died)."""
        if self.judge and is_test_cell(cell):
            self._judge_cell(cell, index)
            return cell, self.resources
        from nbclient.exceptions import DeadKernelError

        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            if not self.judge or not self._may_restart():
                raise
            cell.setdefault("outputs", []).append(_error(KERNEL_DIED, "the kernel died in this cell (exit, crash or "
                                                                      "memory); it was restarted"))
            self._restart(index, f"the kernel died in {_cell_name(cell, index)}")
            return cell, self.resources

    def _may_restart(self) -> bool:
        fired = getattr(self, "_watchdog", None)
        tampered = self.guard_report and Path(self.guard_report).exists()
        return self._restarts < self.max_restarts and not (fired is not None and fired.is_set()) and not tampered

    def _queue_given(self, cell) -> None:
        """Hand the namespace the given cells that stand before this test cell in the source."""
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "")
        pos = self._test_pos.get(gid, float("inf"))
        while self._queued < len(self._given) and self._given[self._queued][0] < pos:
            _, names, source, given_id = self._given[self._queued]
            self._ns.given.append((names, lambda s=source, g=given_id: self._run_given(s, g)))
            self._queued += 1

    def _run_given(self, source: str, grade_id: str) -> None:
        outs, self._cell_outs = self._cell_outs, None  # what a given cell prints is the kernel's to show
        try:
            os.environ.setdefault("MPLBACKEND", "Agg")
            run_code(source, self._ns, f"<given cell {grade_id}>")
        except JudgeFault:
            raise
        except BaseException as exc:  # noqa: BLE001 - recorded; the tests that need its names will fail
            self._judge_info["given_errors"].append(f"{grade_id}: {type(exc).__name__}: {exc}"[:500])
        finally:
            self._cell_outs = outs
            self._close_figures()

    @staticmethod
    def _close_figures() -> None:
        import sys

        plt = sys.modules.get("matplotlib.pyplot")
        if plt is not None:
            plt.close("all")

    def _judge_cell(self, cell, index: int) -> None:
        started = time.perf_counter()
        limit = self.timeout if self.timeout and self.timeout > 0 else None
        deadline_at = None if limit is None else time.monotonic() + limit

        def deadline():
            return None if deadline_at is None else max(0.001, deadline_at - time.monotonic())

        cell.outputs = []
        cell.execution_count = None
        self._cell_outs, self._cell_index = cell.outputs, index
        fault = None
        from ..checks import spy

        try:
            session = self._open_session(deadline)
            self._queue_given(cell)
            self._ns.forget()
            spy._JUDGE.update(construct=session.construct, swap=session.swap_global)
            name = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {index}")
            value = run_code(cell.source, self._ns, f"<test cell {name}>", emit=self._judge_print)
            if value is not None:
                from .remote import RemoteRef

                text = repr(value) if type(value) is not RemoteRef else "<an object of the notebook>"
                cell.outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": text},
                                                           execution_count=None))
        except CallTimeout:
            fault = f"cell timeout in {_cell_name(cell, index)}"
            cell.outputs.append(_error(CELL_TIMEOUT, f"your code did not return within the cell timeout of "
                                                     f"{self.timeout} s"))
        except KernelDied:
            fault = f"the kernel died in {_cell_name(cell, index)} (exit, crash or memory)"
            cell.outputs.append(_error(KERNEL_DIED, "the kernel died while this test called your code (exit, crash "
                                                    "or memory)"))
        except JudgeFault as exc:
            fault = f"{_cell_name(cell, index)}: the kernel's answer was refused ({exc})"
            cell.outputs.append(_error(PROTOCOL, f"the notebook's answer to the test could not be read as data: {exc}"))
        except StudentError as exc:
            cell.outputs.append(_error(exc.ename, str(exc), exc.student_traceback))
        except BaseException as exc:  # noqa: BLE001 - a failed check or assert: the verdict
            cell.outputs.append(_error(type(exc).__name__, _message(exc)))
        finally:
            spy._JUDGE.update(construct=None, swap=None)
            self._cell_outs = None
            self._close_figures()
        if fault is None and self._link is not None:
            try:  # the kernel's main thread back to the notebook's cells
                self._link.pause()
            except JudgeFault as exc:
                fault = f"{_cell_name(cell, index)}: the kernel did not come back from the judge's calls ({exc})"
                cell.outputs.append(_error(KERNEL_DIED, "the kernel did not come back after this test called your "
                                                        "code"))
        self._judge_info["judge_s"] += time.perf_counter() - started
        if fault is not None:
            self._fault(index, fault)

    def _fault(self, index: int, reason: str) -> None:
        from nbclient.exceptions import DeadKernelError

        if not self._may_restart():
            self._cap_reasons.append(reason)
            raise DeadKernelError(reason)
        self._restart(index, reason)

    def _restart(self, index: int, reason: str) -> None:
        """A fresh kernel, with the student's cells before ``index`` run again (outputs not kept)."""
        from nbclient.util import run_sync

        self._restarts += 1
        self._close_link()
        self._session = None
        self._cap_reasons.append(f"{reason}; the kernel was restarted and the notebook's cells before it run again")
        self._judge_info["restarts"].append(reason)
        run_sync(self.km.restart_kernel)(now=True)
        self.wait_for_reply(self.kc.kernel_info())
        for cell in self.nb.cells[:index]:
            if cell.cell_type != "code" or (self.judge and is_test_cell(cell)) or not cell.source.strip():
                continue
            try:
                reply = self.wait_for_reply(self.kc.execute(cell.source, store_history=False, allow_stdin=False))
            except Exception:  # noqa: BLE001 - a cell that hangs again: the rest runs on what there is
                break
            if reply is None:
                break


def _message(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001
        text = ""
    return text or f"{type(exc).__name__} (no message)"


def capture_info(path: Path, info: dict) -> None:
    """Merge the judge's figures into a capture's ``<notebook>.json``."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    data["judge"] = info
    path.write_text(json.dumps(data), encoding="utf-8")
