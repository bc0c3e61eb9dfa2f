"""Grading limits as configuration: safe defaults in ``nbgrader_config.py``, overridden on the command line.

One submission that allocates without bound or never stops must not take the grading machine down, so
`autograder grade` always runs kernels under a memory cap and a notebook time limit unless the
instructor turns them off (0). The values travel with the course: ``c.GradingLimits.memory_mb = 8192``
in the course's ``nbgrader_config.py``; ``--memory``, ``--notebook-timeout``, ``--timeout`` and
``--max-output`` override them for one run. `describe` is the line ``grade`` prints at its start.

The notebook time limit is derived from the assignment unless set: ``timeout_factor`` times the seconds
its solution took to grade (``solution_seconds``, measured by ``autograder measure`` and kept in
``nbgrader_config.py``), at least ``min_notebook_timeout``: wide enough for a slow but honest
submission, short enough that an endless loop costs minutes, not the night.
"""

from __future__ import annotations

from traitlets import Dict, Float, Integer
from traitlets.config import Configurable

from .jobs import DEFAULT_OUTPUT_MB, Limits


class GradingLimits(Configurable):
    """Per-notebook limits of ``autograder grade`` (see the module docstring)."""

    memory_mb = Integer(4096, help="Address-space cap of each notebook's kernel, MiB (an allocation past it raises "
                        "MemoryError in that cell); 0: no cap.").tag(config=True)
    notebook_timeout = Float(-1.0, help="Seconds all cells of a notebook may run together; past it the kernel "
                             "is stopped and the cells left score 0; 0: no limit; -1 (default): derived from the "
                             "assignment (timeout_factor x solution_seconds, at least min_notebook_timeout, "
                             "fallback_notebook_timeout when the assignment was not measured).").tag(config=True)
    solution_seconds = Dict(value_trait=Float(), help="Assignment -> seconds its solution took to grade on one "
                            "worker, as `autograder measure` prints them.").tag(config=True)
    timeout_factor = Float(20.0, help="The derived notebook timeout is this many times the solution's "
                           "seconds.").tag(config=True)
    min_notebook_timeout = Float(600.0, help="The derived notebook timeout is at least this many "
                                 "seconds.").tag(config=True)
    fallback_notebook_timeout = Float(1800.0, help="Notebook timeout of an assignment without solution_seconds "
                                      "(when notebook_timeout is -1).").tag(config=True)
    cell_timeout = Integer(0, help="Seconds each cell may run; 0: nbgrader's Execute.timeout.").tag(config=True)
    output_mb = Float(DEFAULT_OUTPUT_MB, help="MiB of output a notebook may keep; the rest is dropped with a note; "
                      "0: no cap.").tag(config=True)

    def derived_notebook_timeout(self, assignment: str | None) -> tuple[float, str]:
        """The configured notebook timeout for an assignment, and where it comes from (for `describe`)."""
        if self.notebook_timeout >= 0:
            return self.notebook_timeout, "configured"
        measured = self.solution_seconds.get(assignment or "")
        if not measured:
            return self.fallback_notebook_timeout, f"no solution_seconds for {assignment}: fallback"
        derived = max(self.min_notebook_timeout, self.timeout_factor * measured)
        return derived, f"{self.timeout_factor:g} x the solution's {measured:g} s" + (
            f", at least {self.min_notebook_timeout:g} s" if derived == self.min_notebook_timeout else "")

    def limits(self, *, assignment=None, timeout=None, notebook_timeout=None, memory_mb=None, output_mb=None,
               guard=True, judge=True) -> Limits:
        """The `Limits` of a run: each argument given (not None) overrides the configured value; the
        notebook timeout of ``assignment`` is derived from its solution's time unless configured."""
        def pick(given, configured):
            return configured if given is None else given

        cell = pick(timeout, self.cell_timeout or None)
        configured_timeout = self.derived_notebook_timeout(assignment)[0]
        return Limits(timeout=cell or None, notebook_timeout=pick(notebook_timeout, configured_timeout) or None,
                      memory_mb=pick(memory_mb, self.memory_mb) or None, output_mb=pick(output_mb, self.output_mb),
                      guard=guard, judge=judge)


def configured_limits(course_dir) -> GradingLimits:
    """The `GradingLimits` of a course directory's ``nbgrader_config.py`` (the repository's if it has none)."""
    from ..course.config import load_config

    return GradingLimits(config=load_config(course_dir))


def describe_for(course_dir, limits: Limits, assignment: str | None = None) -> str:
    """`describe`, with the cell timeout nbgrader's configuration of ``course_dir`` gives when none is set,
    and where the notebook timeout comes from when it is the configured (or derived) one."""
    from ..course.config import load_config

    config = load_config(course_dir)
    execute_timeout = config.Execute.get("timeout")
    value, origin = GradingLimits(config=config).derived_notebook_timeout(assignment)
    origin = origin if limits.notebook_timeout == value and origin != "configured" else ""
    return describe(limits, execute_timeout if isinstance(execute_timeout, int) else None, origin)


def describe(limits: Limits, execute_timeout: int | None = None, timeout_origin: str = "") -> str:
    """One line: the limits every notebook of this run gets."""
    cell = limits.timeout or execute_timeout
    notebook = f"notebook timeout {limits.notebook_timeout:g} s" if limits.notebook_timeout else "NO notebook timeout"
    if limits.notebook_timeout and timeout_origin:
        notebook += f" ({timeout_origin})"
    parts = [f"cell timeout {cell:g} s" if cell else "no cell timeout", notebook,
             f"memory cap {limits.memory_mb} MiB per kernel" if limits.memory_mb else "NO memory cap",
             f"output cap {limits.output_cap_mb:g} MiB" if limits.output_cap_mb else "no output cap"]
    return "limits: " + ", ".join(parts)
