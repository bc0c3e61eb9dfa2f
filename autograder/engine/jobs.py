"""What travels between the coordinator and the workers: jobs and results, all by value.

A job carries the submission's files; the parts every job shares (configuration, the assignment's
source files, its gradebook entry without any student) travel once per worker as `Shared`. Nothing refers to the
course directory, so a worker on another machine needs no shared filesystem.
"""

from __future__ import annotations

import fnmatch
import hashlib
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..course.config import CONFIG_NAME, REPO_ROOT
from .fitness import Requirements

#: nbgrader's default ``CourseDirectory.ignore``: never part of a submission or of the source.
IGNORE = (".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback")

#: MiB of output a notebook may keep on the worker when `Limits.output_mb` is None.
DEFAULT_OUTPUT_MB = 10.0


@dataclass(frozen=True)
class Limits:
    """Limits applied to every notebook of a run (``None``: nbgrader's configuration / no limit, except
    `output_mb`, where ``None`` is the engine's default cap)."""

    timeout: int | None = None            #: seconds per cell (nbgrader ``Execute.timeout``)
    notebook_timeout: float | None = None  #: seconds for all cells of a notebook together
    memory_mb: int | None = None          #: address-space cap of the kernel process, MiB
    #: MiB of stream/display/result output a notebook may keep (None: `DEFAULT_OUTPUT_MB`; 0: no cap)
    output_mb: float | None = None
    #: run each kernel under the audit-hook guard (`autograder.engine.guard`)
    guard: bool = True
    #: decide test cells in the judge (`autograder.judge`), not in the student's kernel
    judge: bool = True

    @property
    def output_cap_mb(self) -> float:
        """The output cap in MiB that applies (0: none)."""
        return DEFAULT_OUTPUT_MB if self.output_mb is None else max(0.0, float(self.output_mb))


@dataclass(frozen=True)
class Shared:
    """The parts of a job that are the same for every submission of a run."""

    assignment: str
    config_text: str                 #: the course's nbgrader_config.py
    source: dict[str, bytes]         #: relative path -> bytes, under source/<assignment>/
    gradebook: bytes                 #: gradebook.db with this assignment's entry only (`assignment_gradebook`)
    needs: Requirements | None = None  #: what a worker must offer (checked on the worker before grading)


@dataclass(frozen=True)
class Job:
    """One submission to grade."""

    student: str
    key: str                         #: content key (see `content_key`)
    files: dict[str, bytes]          #: relative path -> bytes, under submitted/<student>/<assignment>/
    limits: Limits = Limits()
    submitted_at: float = 0.0        #: coordinator's time.time() when the job was handed to Dask
    grading: str = ""                #: `grading_fingerprint` the key was computed with
    #: start the next job's kernel while this one runs (`warm_kernels`); False for a run's last jobs
    warm_next: bool = True


@dataclass
class NotebookRun:
    """How one notebook of a submission ran on the worker."""

    autograded: str = ""             #: the notebook as the worker's nbgrader Autograde wrote it (JSON)
    kernel_start_s: float | None = None
    execution_s: float | None = None
    reasons: list[str] = field(default_factory=list)
    kernel_failed: bool = False      #: the kernel never started: a problem of the worker, not the student
    judge: dict = field(default_factory=dict)  #: the judge's figures (requests, round trips, restarts)
    warm_kernel: bool = False        #: its kernel was started while the worker's previous job ran


@dataclass
class JobResult:
    """What a worker sends back for one job."""

    student: str
    key: str
    ok: bool                         #: nbgrader's autograde succeeded on the worker
    notebooks: dict[str, NotebookRun] = field(default_factory=dict)
    error: str = ""                  #: why nbgrader failed (log tail), when it did
    reasons: list[str] = field(default_factory=list)  #: limits hit, over all notebooks
    infra_error: str = ""            #: set when the worker could not run the notebooks at all (kernel start)
    problems: list[str] = field(default_factory=list)  #: why nbgrader cannot grade it (see ``diagnose``)
    notes: list[str] = field(default_factory=list)     #: what nbgrader repaired or left ungraded
    worker: str = ""
    #: seconds of the worker's stages: ``setup_s`` (scratch course), ``autograde_s`` (nbgrader's Autograde,
    #: the notebook's execution included), ``collect_s`` (results, diagnosis)
    phases: dict = field(default_factory=dict)
    cold_kernel: str = ""            #: why no warm kernel was waiting for this job (empty: one was)
    submitted_at: float = 0.0
    started_at: float = 0.0
    finished_at: float = 0.0

    @property
    def queue_wait_s(self) -> float:
        """Seconds between handing the job to Dask and a worker starting it."""
        return max(0.0, self.started_at - self.submitted_at)


def _ignored(rel: Path, ignore=IGNORE) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for part in rel.parts for pattern in ignore)


def read_tree(root: Path, ignore=IGNORE) -> dict[str, bytes]:
    """Every file under a directory, as ``relative posix path -> bytes`` (nbgrader's ignore list applied).

    Parameters
    ----------
    root : Path
    ignore : sequence of str
        fnmatch patterns matched against each path component.

    Returns
    -------
    files : dict
    """
    root = Path(root)
    files = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root)
        if path.is_file() and not _ignored(rel, ignore):
            files[rel.as_posix()] = path.read_bytes()
    return files


def write_tree(root: Path, files: dict[str, bytes]) -> None:
    """Write files produced by `read_tree` under ``root``."""
    root = Path(root)
    for rel, data in files.items():
        path = root / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute():
            raise ValueError(f"refusing to write {rel!r} outside {root}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def config_file(course_dir: Path) -> Path:
    """The nbgrader_config.py that applies to a course directory (the repository's when it has none)."""
    own = Path(course_dir) / CONFIG_NAME
    return own if own.exists() else REPO_ROOT / CONFIG_NAME


#: Parts of the package whose code decides a verdict: a change in them regrades every submission.
VERDICT_CODE = ("checks", "judge")


def grading_fingerprint(limits: Limits) -> str:
    """sha256 over what grades a submission besides its content: the package version, the grading limits
    and the code of the check library and the judge (`VERDICT_CODE`).

    Parameters
    ----------
    limits : Limits

    Returns
    -------
    fingerprint : str
        Hex digest, part of every `content_key`, so a resumed run regrades exactly when one of these changed.
    """
    import dataclasses
    import json

    from .. import __version__

    h = hashlib.sha256(json.dumps({"version": __version__, "limits": dataclasses.asdict(limits)},
                                  sort_keys=True, default=str).encode())
    package = Path(__file__).resolve().parent.parent
    for part in VERDICT_CODE:
        for path in sorted((package / part).rglob("*.py")):
            data = path.read_bytes()
            h.update(f"{path.relative_to(package).as_posix()}\0{len(data)}\0".encode())
            h.update(data)
    return h.hexdigest()


def content_key(config: bytes, source: dict[str, bytes], submission: dict[str, bytes], grading: str = "") -> str:
    """sha256 over the configuration, the assignment's source files, the submission's files and the
    grading fingerprint.

    Parameters
    ----------
    config : bytes
        nbgrader_config.py.
    source, submission : dict
        ``relative path -> bytes``.
    grading : str
        `grading_fingerprint` of the run's limits and code.

    Returns
    -------
    key : str
        Hex digest; equal keys mean the engine would grade the submission the same way.
    """
    h = hashlib.sha256()

    def feed(tag: str, name: str, data: bytes) -> None:
        h.update(f"{tag}\0{name}\0{len(data)}\0".encode())
        h.update(data)

    feed("config", CONFIG_NAME, config)
    feed("grading", "fingerprint", grading.encode())
    for rel in sorted(source):
        feed("source", rel, source[rel])
    for rel in sorted(submission):
        feed("submission", rel, submission[rel])
    return h.hexdigest()


def snapshot_gradebook(path: Path) -> bytes:
    """A consistent copy of an SQLite gradebook (SQLite's backup API), as bytes."""
    with tempfile.TemporaryDirectory(prefix="autograder-gb-") as tmp:
        copy = Path(tmp) / "gradebook.db"
        src = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
        dst = sqlite3.connect(copy)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        return copy.read_bytes()


#: nbgrader's tables of students and of what they submitted, children first.
STUDENT_TABLES = ("comment", "grade", "submitted_notebook", "submitted_assignment", "student")


def assignment_gradebook(path: Path, assignment: str) -> bytes:
    """A copy of a course gradebook that holds one assignment's entry and no student, as bytes.

    What a worker needs to autograde a submission of ``assignment`` (its notebooks and graded cells, as
    registered), and nothing about other students or other assignments: their rows are removed with
    nbgrader's API and the file is vacuumed, so no deleted row is left in its free pages.

    Parameters
    ----------
    path : Path
        The course's ``gradebook.db``.
    assignment : str

    Returns
    -------
    gradebook : bytes
        An SQLite file.
    """
    from nbgrader.api import Gradebook

    with tempfile.TemporaryDirectory(prefix="autograder-gb-") as tmp:
        copy = Path(tmp) / "gradebook.db"
        copy.write_bytes(snapshot_gradebook(path))
        db = sqlite3.connect(copy)
        try:
            # Every student and every submission goes: all rows of these tables, in one transaction (nbgrader's
            # remove_student commits once per submitted notebook, about 0.1 s per student, 50 s for a course
            # of 500). No other table refers to them.
            with db:
                for table in STUDENT_TABLES:
                    db.execute(f"DELETE FROM {table}")  # noqa: S608 - table names are constants
        finally:
            db.close()
        with Gradebook(f"sqlite:///{copy}") as gb:  # the other assignments' notebooks and cells, by nbgrader
            for other in [a.name for a in gb.assignments if a.name != assignment]:
                gb.remove_assignment(other)
        db = sqlite3.connect(copy)
        try:
            db.execute("VACUUM")
        finally:
            db.close()
        return copy.read_bytes()

