"""`ReplayOutputs`: in the course directory, the worker's executed outputs copied into the cells in place of
``Execute``, so every later step, and so the gradebook and ``autograded/``, is nbgrader's own.
"""

from __future__ import annotations

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict

from .guarded_execute import _cell_name


class ReplayError(RuntimeError):
    """The executed notebook from a worker does not match the notebook nbgrader sanitized here."""


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
