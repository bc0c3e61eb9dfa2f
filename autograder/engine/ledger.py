"""Append-only JSON-lines files under ``<course>/.autograder/``: the ledger and the grade log.

``graded.jsonl`` (the ledger) holds one line per submission the coordinator recorded in the
gradebook: student, assignment, content key, scores, status, reasons and timestamps. A run skips a
submission whose latest line has the same key, so runs are resumable and idempotent. Each line is
flushed and fsynced before the next result is imported, so killing a run loses nothing already
recorded. ``grade-log.jsonl`` holds one line per notebook graded: status, timings and reasons.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

STATE_DIR = ".autograder"
LEDGER_NAME = "graded.jsonl"
LOG_NAME = "grade-log.jsonl"


class JsonLines:
    """An append-only JSON-lines file; every record is flushed (and optionally fsynced) at once."""

    def __init__(self, path: Path, *, fsync: bool = True):
        self.path = Path(path)
        self.fsync = fsync

    def append(self, record: dict) -> None:
        """Append one record as one line."""
        new = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        line = json.dumps(record, sort_keys=True, default=str) + "\n"
        with open(self.path, "a+b") as f:
            if f.tell() > 0:  # a line cut short by a kill must not swallow this one
                f.seek(-1, os.SEEK_END)
                if f.read(1) != b"\n":
                    line = "\n" + line
            f.write(line.encode("utf-8"))
            f.flush()
            if self.fsync:
                os.fsync(f.fileno())
        if new and self.fsync:
            fd = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)

    def records(self) -> list[dict]:
        """Every complete, parseable record in file order (a line cut short by a kill is ignored)."""
        if not self.path.exists():
            return []
        out = []
        with open(self.path, encoding="utf-8") as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                if isinstance(record, dict):
                    out.append(record)
        return out


class Ledger(JsonLines):
    """The ledger of recorded submissions of a course directory."""

    def __init__(self, course_dir: Path):
        super().__init__(Path(course_dir) / STATE_DIR / LEDGER_NAME, fsync=True)

    def latest(self, assignment: str) -> dict[str, dict]:
        """``student -> latest record`` for one assignment."""
        return {r["student"]: r for r in self.records() if r.get("assignment") == assignment and "student" in r}


def grade_log(course_dir: Path) -> JsonLines:
    """The per-notebook grade log of a course directory."""
    return JsonLines(Path(course_dir) / STATE_DIR / LOG_NAME, fsync=False)
