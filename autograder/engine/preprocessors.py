"""The two nbgrader preprocessors of the engine, and nbgrader's Autograde run with one of them.

nbgrader's ``Autograde`` converter runs ``autograde_preprocessors`` (``Execute``, ``IgnorePattern``,
``ClearMetadataPreprocessor``, ``LimitOutput``, ``SaveAutoGrades``, ``AssignLatePenalties``,
``CheckCellMetadata``) on the sanitized notebook. The engine swaps only ``Execute``:

* on a worker, for `GuardedExecute`: nbgrader's ``Execute`` plus a whole-notebook watchdog, a kernel
  that dies or does not start turning into errors in the cells that did not run, timings, and a copy
  of the executed notebook left in a capture directory;
* in the course directory, for `ReplayOutputs`: it copies the worker's executed outputs into the
  cells, so every later step, and so the gradebook and ``autograded/``, is nbgrader's own.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import nbformat
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Dict, Float, Unicode

#: ``ename`` of the error output put into a cell a limit stopped, and into every cell after it.
NOTEBOOK_TIMEOUT = "NotebookTimeoutError"
KERNEL_DIED = "DeadKernelError"
KERNEL_START = "KernelStartError"


class ReplayError(RuntimeError):
    """The executed notebook from a worker does not match the notebook nbgrader sanitized here."""


def _cell_name(cell, index: int) -> str:
    grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
    return f"cell {index} ({grade_id})" if grade_id else f"cell {index}"


class GuardedExecute(Execute):
    """nbgrader's ``Execute`` that always returns a notebook: a limit or a dead kernel errors the rest."""

    notebook_timeout = Float(0, help="Seconds all cells together may run; the kernel is killed after "
                             "that (0: no limit).").tag(config=True)
    capture_dir = Unicode("", help="Directory where the executed notebook (<notebook>.ipynb) and its "
                          "timings and limit reasons (<notebook>.json) are written.").tag(config=True)

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

    def preprocess(self, nb, resources=None, km=None):
        """Execute every cell like nbconvert's ExecutePreprocessor; never raise for the notebook's sake."""
        from nbclient.client import NotebookClient
        from nbclient.exceptions import DeadKernelError

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        info = {"kernel_start_s": None, "execution_s": None, "reasons": [], "warnings": [], "kernel_failed": False}
        fired = threading.Event()
        watchdog = None
        index, started, t0 = 0, False, time.perf_counter()
        t1 = t0
        try:
            with self.setup_kernel():
                info_msg = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info_msg["content"]["language_info"]
                started, t1 = True, time.perf_counter()
                info["kernel_start_s"] = t1 - t0
                if self.notebook_timeout > 0:
                    watchdog = threading.Timer(self.notebook_timeout, lambda: (fired.set(), self._kill_kernel()))
                    watchdog.daemon = True
                    watchdog.start()
                try:
                    for index, cell in enumerate(self.nb.cells):
                        self.preprocess_cell(cell, resources, index)
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
                self._error_rest(index, type(exc).__name__, message)
                info["reasons"].append(message)
        self.set_widgets_metadata()
        if self.capture_dir:
            capture = Path(self.capture_dir)
            capture.mkdir(parents=True, exist_ok=True)
            name = (resources or {}).get("nbgrader", {}).get("notebook", "notebook")
            (capture / f"{name}.ipynb").write_text(nbformat.writes(self.nb), encoding="utf-8")
            (capture / f"{name}.json").write_text(json.dumps(info), encoding="utf-8")
        return self.nb, self.resources


class ReplayOutputs(NbGraderPreprocessor):
    """Copy the outputs of a notebook executed elsewhere into the cells (takes the place of Execute).

    Cells are matched by position; each must have the same type and source as in the executed copy,
    which holds because both sides ran nbgrader's sanitize step on the same submission.
    """

    executed = Dict(help="notebook name -> executed notebook (JSON text), as GuardedExecute left it").tag(config=True)

    def preprocess(self, nb, resources):
        name = resources["nbgrader"]["notebook"]
        if name not in self.executed:
            raise ReplayError(f"no executed copy of notebook {name!r} came back from the worker")
        done = nbformat.reads(self.executed[name], as_version=4)
        if len(done.cells) != len(nb.cells):
            raise ReplayError(f"{name}: {len(nb.cells)} cells here, {len(done.cells)} in the executed copy")
        for index, (cell, ran) in enumerate(zip(nb.cells, done.cells)):
            if cell.cell_type != ran.cell_type or cell.source != ran.source:
                raise ReplayError(f"{name}: {_cell_name(cell, index)} differs from the executed copy")
            if cell.cell_type == "code":
                cell.outputs = ran.outputs
                cell.execution_count = ran.execution_count
                if "execution" in ran.metadata:
                    cell.metadata["execution"] = ran.metadata["execution"]
        for key in ("language_info", "widgets"):
            if key in done.metadata:
                nb.metadata[key] = done.metadata[key]
        return nb, resources


def replace_execute(preprocessors: list, replacement: type) -> list:
    """``preprocessors`` with each entry that is (a subclass of) nbgrader's Execute swapped for another.

    Parameters
    ----------
    preprocessors : list
        Classes, instances or dotted names, as nbgrader's ``autograde_preprocessors`` allows.
    replacement : type

    Returns
    -------
    preprocessors : list
    """
    from traitlets.utils.importstring import import_item

    out, found = [], False
    for pp in preprocessors:
        cls = import_item(pp) if isinstance(pp, str) else pp
        cls = cls if isinstance(cls, type) else type(cls)
        if issubclass(cls, Execute):
            out.append(replacement)
            found = True
        else:
            out.append(pp)
    if not found:
        raise ValueError("Autograde.autograde_preprocessors has no Execute step to replace")
    return out


def autograde_with(course_root: Path, assignment: str, student: str, execute: type, config=None) -> dict:
    """Run nbgrader's Autograde (forced) on one submission with ``execute`` in place of Execute.

    Parameters
    ----------
    course_root : Path
        Course directory (its ``nbgrader_config.py`` is loaded, as for every nbgrader command).
    assignment, student : str
    execute : type
        `GuardedExecute` or `ReplayOutputs`.
    config : traitlets.config.Config or None
        Merged over the course configuration.

    Returns
    -------
    outcome : dict
        nbgrader's ``capture_log`` result: ``success``, and ``error`` / ``log`` when there are any.
    """
    import logging

    from nbgrader.apps import NbGraderAPI
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.utils import capture_log, temp_attrs

    from ..course import load_config

    cfg = load_config(course_root)
    cfg.NbGraderAPI.log_level = logging.WARNING
    if config is not None:
        cfg.merge(config)
    api = NbGraderAPI(coursedir=CourseDirectory(config=cfg), config=cfg)
    with temp_attrs(api.coursedir, assignment_id=assignment, student_id=student):
        app = Autograde(coursedir=api.coursedir, parent=api)
        app.force = True
        app.create_student = True
        app.autograde_preprocessors = replace_execute(list(app.autograde_preprocessors), execute)
        return capture_log(app)
