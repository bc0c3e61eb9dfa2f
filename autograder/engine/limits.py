"""Grading limits as configuration: safe defaults in ``nbgrader_config.py``, overridden on the command line.

One submission that allocates without bound or never stops must not take the grading machine down, so
`autograder grade` always runs kernels under a memory cap and a notebook time limit unless the
instructor turns them off (0). The values travel with the course: ``c.GradingLimits.memory_mb = 8192``
in the course's ``nbgrader_config.py``; ``--memory``, ``--notebook-timeout``, ``--timeout`` and
``--max-output`` override them for one run. `describe` is the line ``grade`` prints at its start.
"""

from __future__ import annotations

from traitlets import Float, Integer
from traitlets.config import Configurable

from .jobs import DEFAULT_OUTPUT_MB, Limits


class GradingLimits(Configurable):
    """Per-notebook limits of ``autograder grade`` (see the module docstring)."""

    memory_mb = Integer(4096, help="Address-space cap of each notebook's kernel, MiB (an allocation past it raises "
                        "MemoryError in that cell); 0: no cap.").tag(config=True)
    notebook_timeout = Float(1800.0, help="Seconds all cells of a notebook may run together; past it the kernel "
                             "is stopped and the cells left score 0. The course's solutions run in under a minute "
                             "on two cores; 0: no limit.").tag(config=True)
    cell_timeout = Integer(0, help="Seconds each cell may run; 0: nbgrader's Execute.timeout.").tag(config=True)
    output_mb = Float(DEFAULT_OUTPUT_MB, help="MiB of output a notebook may keep; the rest is dropped with a note; "
                      "0: no cap.").tag(config=True)

    def limits(self, *, timeout=None, notebook_timeout=None, memory_mb=None, output_mb=None, guard=True,
               judge=True) -> Limits:
        """The `Limits` of a run: each argument given (not None) overrides the configured value."""
        def pick(given, configured):
            return configured if given is None else given

        cell = pick(timeout, self.cell_timeout or None)
        return Limits(timeout=cell or None, notebook_timeout=pick(notebook_timeout, self.notebook_timeout) or None,
                      memory_mb=pick(memory_mb, self.memory_mb) or None, output_mb=pick(output_mb, self.output_mb),
                      guard=guard, judge=judge)


def configured_limits(course_dir) -> GradingLimits:
    """The `GradingLimits` of a course directory's ``nbgrader_config.py`` (the repository's if it has none)."""
    from ..course import load_config

    return GradingLimits(config=load_config(course_dir))


def describe_for(course_dir, limits: Limits) -> str:
    """`describe`, with the cell timeout nbgrader's configuration of ``course_dir`` gives when none is set."""
    from ..course import load_config

    execute_timeout = load_config(course_dir).Execute.get("timeout")
    return describe(limits, execute_timeout if isinstance(execute_timeout, int) else None)


def describe(limits: Limits, execute_timeout: int | None = None) -> str:
    """One line: the limits every notebook of this run gets."""
    cell = limits.timeout or execute_timeout
    parts = [f"cell timeout {cell:g} s" if cell else "no cell timeout",
             f"notebook timeout {limits.notebook_timeout:g} s" if limits.notebook_timeout else "NO notebook timeout",
             f"memory cap {limits.memory_mb} MiB per kernel" if limits.memory_mb else "NO memory cap",
             f"output cap {limits.output_cap_mb:g} MiB" if limits.output_cap_mb else "no output cap"]
    return "limits: " + ", ".join(parts)
