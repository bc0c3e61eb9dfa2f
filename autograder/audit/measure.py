"""``autograder measure``: how long each assignment's solution takes to grade, for the derived notebook timeout.

The notebook time limit of ``autograder grade`` is ``timeout_factor`` times the solution's seconds
(`autograder.engine.limits.GradingLimits`); this command grades the solution alone, on one worker, the
way ``grade`` would (judge, guard, limits), and prints the ``c.GradingLimits.solution_seconds`` line to
keep in the course's ``nbgrader_config.py``. Measure on the grading machine, with nothing else running.
"""

from __future__ import annotations

import math
from contextlib import nullcontext

from ..course.config import CourseError


def measure_solutions(assignments: list[str], *, client=None, progress: bool = True) -> dict[str, float]:
    """Grade each assignment's solution once and return its seconds.

    Parameters
    ----------
    assignments : list of str
    client : distributed.Client or None
        Default: a local cluster of one worker.
    progress : bool

    Returns
    -------
    seconds : dict
        Assignment -> seconds from handing the solution to the worker to its import (rounded up).

    Raises
    ------
    CourseError
        When a solution was not graded or lost points (its time would mean nothing).
    """
    from .run import audit_assignment
    from ..engine.coordinator import open_client

    out = {}
    with open_client(workers=1) if client is None else nullcontext(client) as dask:
        for name in assignments:
            result = audit_assignment(name, only=set(), client=dask, progress=progress)
            if result.solution_problem or result.solution_lost or result.solution_seconds is None:
                raise CourseError(f"{name}: the solution did not earn full points "
                                  f"({result.solution_problem or ', '.join(result.solution_lost)}); fix it first")
            out[name] = float(math.ceil(result.solution_seconds))
    return out


def config_line(seconds: dict[str, float]) -> str:
    """The ``nbgrader_config.py`` line that keeps the measurements."""
    items = ", ".join(f"{name!r}: {value:g}" for name, value in sorted(seconds.items()))
    return "c.GradingLimits.solution_seconds = {" + items + "}"
