"""`autograder.judge.runner`: instructor cells run in the judge's namespace, compiled once per source."""

from __future__ import annotations

import pytest

from autograder.judge import runner


def test_a_cell_runs_its_statements_and_answers_its_final_expression():
    ns = {}
    printed = []
    value = runner.run_code("%matplotlib inline\nx = 2\nprint('hi', x)\nx * 21", ns, "<test cell a>",
                            emit=printed.append)
    assert value == 42 and ns["x"] == 2 and "".join(printed) == "hi 2\n"
    assert runner.run_code("y = 1", ns, "<test cell b>") is None and ns["y"] == 1


def test_the_same_source_is_compiled_once_and_still_run_every_time():
    source = "calls.append(len(calls))\nlen(calls)"
    before = runner.compiled.cache_info()
    first, second = {"calls": []}, {"calls": [7]}
    assert runner.run_code(source, first, "<test cell c>") == 1
    assert runner.run_code(source, first, "<test cell c>") == 2  # run again, on the namespace's state
    assert runner.run_code(source, second, "<test cell c>") == 2
    after = runner.compiled.cache_info()
    assert after.misses - before.misses == 1 and after.hits - before.hits == 2
    assert first["calls"] == [0, 1] and second["calls"] == [7, 1]


def test_a_syntax_error_is_raised_on_every_run():
    for _ in range(2):
        with pytest.raises(SyntaxError):
            runner.run_code("def broken(:\n    pass", {}, "<test cell d>")
