"""The quick demo's choices, and its stop before grading when MNIST cannot be found."""

from __future__ import annotations

import pytest

from autograder.course import CourseError
from autograder.demo import QUICK_ASSIGNMENT, _samples, require_data


def test_quick_demo_grades_a_handful_of_a2_submissions():
    subs, mutants = _samples(QUICK_ASSIGNMENT, everything=False)
    assert set(subs) == {"solution", "untouched", *mutants} and len(mutants) == 3
    lost = [set(m.loses) for m in mutants.values()]
    assert all(lost) and len(set().union(*lost)) >= 3, "the three mutants should lose different cells"


def test_without_mnist_the_demo_stops_before_grading(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setenv("BACKPROP_COURSE_CACHE", str(tmp_path / "cache"))
    with pytest.raises(CourseError) as info:
        require_data([QUICK_ASSIGNMENT], download=False)
    text = str(info.value)
    assert "nothing was graded" in text and "train-images-idx3-ubyte.gz" in text and "MNIST_DIR" in text
    require_data(["a3_mlp_moons"], download=False)   # needs no MNIST: no error
