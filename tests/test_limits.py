"""Grading limits: safe defaults from nbgrader_config.py, the command line overriding them, 0 turning one off."""

from __future__ import annotations

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
