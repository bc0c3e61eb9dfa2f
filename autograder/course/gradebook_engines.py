"""One SQLAlchemy engine per gradebook in a process, so that SQL compiled once is reused.

nbgrader's ``Gradebook`` creates a new SQLAlchemy engine each time one is opened, and SQLAlchemy keeps
the SQL it compiled in a cache that belongs to the engine (and is keyed on the engine's dialect). A
result's import opens the course gradebook about nine times (nbgrader's Autograde steps, the score read
back), and each open compiled the same statements again: about a quarter of an a3 import (profiled:
0.42 s of 1.87 s for 7 imports). `share_engines` gives ``nbgrader.api`` a ``create_engine`` that returns
the same engine for the same URL and options, for the few gradebooks most recently opened.

Nothing else changes: ``Gradebook.close`` still disposes the engine's connection pool, so every open
still makes new SQLite connections (a gradebook file replaced between two opens is read afresh), and
connections still checked out by another open ``Gradebook`` stay valid (SQLAlchemy's ``dispose``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

#: Engines kept per process (the most recently used; a worker's scratch gradebook is new for every job).
KEEP = 4


class SharedEngines:
    """``create_engine`` with the engine of each (URL, options) kept and handed out again."""

    def __init__(self, create_engine, keep: int = KEEP):
        self._create = create_engine
        self._keep = keep
        self._engines: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, url, *args, **kwargs):
        """The engine for ``url`` and these options: the one made before, or a new one.

        Parameters
        ----------
        url : str or sqlalchemy.URL
        *args, **kwargs
            ``sqlalchemy.create_engine``'s options.

        Returns
        -------
        engine : sqlalchemy.engine.Engine
        """
        try:
            key = (str(url), args, tuple(sorted(kwargs.items())))
            hash(key)
        except TypeError:  # options that cannot be a key: an engine of its own, as before
            return self._create(url, *args, **kwargs)
        with self._lock:
            engine = self._engines.pop(key, None)
            if engine is None:
                engine = self._create(url, *args, **kwargs)
            self._engines[key] = engine
            while len(self._engines) > self._keep:
                _, old = self._engines.popitem(last=False)
                old.dispose()
        return engine


def share_engines(keep: int = KEEP) -> None:
    """Make ``nbgrader.api.Gradebook`` reuse its engines in this process (idempotent).

    Parameters
    ----------
    keep : int
        Engines kept (the most recently used).
    """
    from nbgrader import api

    if not isinstance(api.create_engine, SharedEngines):
        api.create_engine = SharedEngines(api.create_engine, keep)
