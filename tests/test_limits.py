"""Grading limits: safe defaults from nbgrader_config.py, the command line overriding them, 0 turning one off."""

from __future__ import annotations

import ast

import pytest
from traitlets.config import Config

from autograder.course import REPO_ROOT
from autograder.engine.limits import GradingLimits, configured_limits, describe


def test_the_course_configuration_sets_safe_defaults():
    limits = configured_limits(REPO_ROOT).limits()
    assert limits.memory_mb and limits.memory_mb >= 2048
    assert limits.notebook_timeout and limits.notebook_timeout >= 600
    assert limits.judge and limits.guard
    line = describe(limits, 300)
    assert "memory cap" in line and "notebook timeout" in line and "cell timeout 300 s" in line


def test_the_command_line_overrides_and_zero_turns_off():
    cfg = Config()
    cfg.GradingLimits.memory_mb = 1024
    cfg.GradingLimits.notebook_timeout = 100.0
    gl = GradingLimits(config=cfg)
    assert gl.limits().memory_mb == 1024 and gl.limits().notebook_timeout == 100.0
    over = gl.limits(memory_mb=512, notebook_timeout=50, timeout=7)
    assert (over.memory_mb, over.notebook_timeout, over.timeout) == (512, 50, 7)
    off = gl.limits(memory_mb=0, notebook_timeout=0)
    assert off.memory_mb is None and off.notebook_timeout is None
    assert "NO memory cap" in describe(off) and "NO notebook timeout" in describe(off)


def test_the_notebook_timeout_is_derived_from_the_solutions_time():
    cfg = Config()
    cfg.GradingLimits.solution_seconds = {"a2": 60.0, "a4": 5.0}
    cfg.GradingLimits.timeout_factor = 10.0
    cfg.GradingLimits.min_notebook_timeout = 120.0
    cfg.GradingLimits.fallback_notebook_timeout = 1800.0
    gl = GradingLimits(config=cfg)
    assert gl.limits(assignment="a2").notebook_timeout == 600.0
    assert gl.limits(assignment="a4").notebook_timeout == 120.0       # never below the floor
    assert gl.limits(assignment="other").notebook_timeout == 1800.0   # not measured: the fallback
    assert gl.limits(assignment="a2", notebook_timeout=30).notebook_timeout == 30  # the command line wins
    value, origin = gl.derived_notebook_timeout("a2")
    assert (value, origin) == (600.0, "10 x the solution's 60 s")
    assert "notebook timeout 600 s (10 x the solution's 60 s)" in describe(gl.limits(assignment="a2"), None, origin)
    cfg.GradingLimits.notebook_timeout = 900.0  # a configured value is used as it is
    assert GradingLimits(config=cfg).limits(assignment="a2").notebook_timeout == 900.0


def test_every_assignment_of_the_course_has_a_measured_solution_time():
    from conftest import ASSIGNMENTS

    gl = configured_limits(REPO_ROOT)
    for assignment in ASSIGNMENTS:
        assert gl.solution_seconds.get(assignment, 0) > 0, f"run `autograder measure {assignment}`"
        value, origin = gl.derived_notebook_timeout(assignment)
        assert value >= 5 * gl.solution_seconds[assignment] and "solution" in origin


@pytest.mark.slow
def test_measure_grades_the_solution_and_prints_the_config_line(capsys):
    from autograder.cli import main

    assert main(["measure", "a4_losses_and_stability", "--quiet"]) == 0
    out = capsys.readouterr().out
    line = out.strip().splitlines()[-1]
    assert line.startswith("c.GradingLimits.solution_seconds = {")
    seconds = ast.literal_eval(line.split("=", 1)[1].strip())
    assert set(seconds) == {"a4_losses_and_stability"} and seconds["a4_losses_and_stability"] > 0
    assert "derived notebook timeout" in out
