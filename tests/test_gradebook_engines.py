"""``autograder.course.gradebook_engines``: nbgrader's gradebooks reuse one engine per URL, and still read the file."""

from __future__ import annotations

import pytest
from nbgrader import api
from nbgrader.api import Gradebook

from autograder.course.gradebook_engines import SharedEngines, share_engines


@pytest.fixture
def shared(monkeypatch):
    monkeypatch.setattr(api, "create_engine", api.create_engine)  # undone after the test
    share_engines()
    return api.create_engine


def _url(path) -> str:
    return f"sqlite:///{path}"


def test_gradebooks_on_one_file_share_an_engine_and_its_compiled_sql(tmp_path, shared):
    assert isinstance(shared, SharedEngines)
    share_engines()  # idempotent: not wrapped twice
    assert api.create_engine is shared
    with Gradebook(_url(tmp_path / "a.db")) as gb:
        gb.add_student("amy")
        first = gb.engine
        cached = len(first._compiled_cache)
    with Gradebook(_url(tmp_path / "a.db")) as gb:
        assert gb.engine is first
        assert [s.id for s in gb.students] == ["amy"]
        assert len(first._compiled_cache) >= cached > 0  # the SQL compiled by the first open is still there
    with Gradebook(_url(tmp_path / "b.db")) as other:
        assert other.engine is not first


def test_a_gradebook_file_replaced_between_opens_is_read_afresh(tmp_path, shared):
    path = tmp_path / "gradebook.db"
    with Gradebook(_url(path)) as gb:
        gb.add_student("amy")
    path.unlink()
    with Gradebook(_url(path)) as gb:
        gb.add_student("bob")
    with Gradebook(_url(path)) as gb:
        assert [s.id for s in gb.students] == ["bob"]


def test_two_open_gradebooks_on_one_engine_both_keep_working(tmp_path, shared):
    path = _url(tmp_path / "gradebook.db")
    outer = Gradebook(path)
    outer.add_student("amy")
    with Gradebook(path) as inner:  # its close disposes the shared pool while `outer` is open
        inner.add_student("bob")
    outer.add_student("cat")
    assert sorted(s.id for s in outer.students) == ["amy", "bob", "cat"]
    outer.close()


def test_only_the_most_recent_engines_are_kept_and_the_others_disposed():
    made, disposed = [], []

    class Engine:
        def __init__(self, url, **options):
            self.url = url
            made.append(url)

        def dispose(self):
            disposed.append(self.url)

    engines = SharedEngines(Engine, keep=2)
    a = engines("sqlite:///a")
    assert engines("sqlite:///a") is a
    engines("sqlite:///b")
    engines("sqlite:///a")  # a is the most recent again
    engines("sqlite:///c")  # b goes
    assert disposed == ["sqlite:///b"]
    assert engines("sqlite:///b") is not None and made == ["sqlite:///a", "sqlite:///b", "sqlite:///c", "sqlite:///b"]
    assert engines("sqlite:///x", connect_args={"a": [1]}) is not engines("sqlite:///x", connect_args={"a": [1]})
