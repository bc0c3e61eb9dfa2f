"""`RecordAutograded`: the coordinator's one nbgrader step for a graded submission.

The worker has already run nbgrader's Autograde on the submission (sanitize, restore the test cells,
execute, ``LimitOutput``, ``CheckCellMetadata``, ...) without the steps that write the gradebook
(`RECORD_STEPS`). What nbgrader would still do in the course directory is its bookkeeping and those steps,
and this converter does exactly that with nbgrader's own code: ``Autograde.init_assignment`` (student,
submission and timestamp, the source's other files copied), then, on the notebook the worker's Autograde
wrote, only ``SaveAutoGrades`` and ``AssignLatePenalties``, and nbgrader's writer puts the notebook into
``autograded/``. So each of nbgrader's steps runs once per submission.
Nothing is sanitized, replayed, executed or validated a second time: ``CheckCellMetadata`` already ran in the
worker's Autograde on this very notebook (here it cost a quarter of the import, 0.08 s a notebook, for
jsonschema re-validating every cell).
"""

from __future__ import annotations

import os

from nbgrader import utils
from nbgrader.converters import Autograde
from nbgrader.converters.base import BaseConverter, NbGraderException
from nbgrader.preprocessors import AssignLatePenalties, SaveAutoGrades
from traitlets import Dict, List


#: The steps of nbgrader's ``autograde_preprocessors`` that only write the gradebook: a worker leaves them out
#: (its gradebook is a scratch copy that nobody reads), `RecordAutograded` runs them in the course.
RECORD_STEPS = (SaveAutoGrades, AssignLatePenalties)


class RecordAutograded(Autograde):
    """nbgrader's Autograde whose notebooks come already autograded from a worker (see the module docstring)."""

    autograded = Dict(help="notebook name -> the notebook as nbgrader's Autograde wrote it on the worker "
                           "(JSON text)").tag(config=True)
    record_preprocessors = List(list(RECORD_STEPS),
                                help="the steps of autograde_preprocessors that write the gradebook, run here "
                                     "on the worker's autograded notebook").tag(config=True)

    def convert_single_notebook(self, notebook_filename: str) -> None:
        name = os.path.splitext(os.path.basename(notebook_filename))[0]
        if name not in self.autograded:
            raise NbGraderException(f"no autograded copy of notebook {name!r} came back from the worker")
        where = self.init_single_notebook_resources(notebook_filename)["nbgrader"]  # the submitted path
        dest = self._format_dest(where["assignment"], where["student"])
        os.makedirs(dest, exist_ok=True)
        path = os.path.join(dest, os.path.basename(notebook_filename))
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.autograded[name])
        self._sanitizing = False  # from here on nbgrader reads autograded/, as in its own second pass
        self.exporter._preprocessors = []
        for pp in self.record_preprocessors:
            self.exporter.register_preprocessor(pp)
        try:
            with utils.setenv(NBGRADER_EXECUTION="autograde"):
                BaseConverter.convert_single_notebook(self, path)
        finally:
            self._sanitizing = True
