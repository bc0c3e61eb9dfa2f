"""The course directory: where nbgrader's files live and how to talk to nbgrader about them.

The repository root is itself an nbgrader course directory (``source/``, ``release/``,
``solutions/``, ``nbgrader_config.py``). Grading happens in a *course directory* given by the
instructor (by default the current directory), which holds the same ``source/`` plus nbgrader's
``submitted/``, ``autograded/``, ``feedback/`` and ``gradebook.db``.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

#: The repository this package was installed from (an editable install); holds the course content.
REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIG_NAME = "nbgrader_config.py"


def _ensure_scripts_on_path() -> None:
    """nbgrader runs ``alembic`` and Jupyter runs kernels by name: put this Python's scripts first on PATH."""
    scripts = str(Path(sys.executable).parent)
    if os.environ.get("PATH", "").split(os.pathsep)[0] != scripts:
        os.environ["PATH"] = scripts + os.pathsep + os.environ.get("PATH", "")


_ensure_scripts_on_path()


class CourseError(RuntimeError):
    """A course directory or assignment is missing or malformed (message says how to fix it)."""


def quiet_gradebook_warnings() -> None:
    """Silence SQLAlchemy's ``SAWarning`` about nbgrader's gradebook sessions (hundreds per grading run).

    nbgrader 0.9 adds objects to its SQLAlchemy session in a way SQLAlchemy 2 warns about ("Object of type
    <SubmittedAssignment> not in session ..."); the warning is harmless and says nothing a user can act
    on. Called by the command line and the grading workers, where the project calls nbgrader.
    """
    import warnings

    warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session")


def load_config(course_dir: Path) -> Config:
    """Load the nbgrader configuration of a course directory.

    Parameters
    ----------
    course_dir : Path
        Directory holding ``nbgrader_config.py``; when it has none, the repository's file is used.

    Returns
    -------
    config : traitlets.config.Config
        The configuration, with ``CourseDirectory.root`` set to `course_dir`.
    """
    course_dir = Path(course_dir).resolve()
    cfg_dir = course_dir if (course_dir / CONFIG_NAME).exists() else REPO_ROOT
    cfg = PyFileConfigLoader(CONFIG_NAME, path=str(cfg_dir)).load_config()
    cfg.CourseDirectory.root = str(course_dir)
    # Keep nbgrader from looking for a system-wide exchange directory.
    cfg.Exchange.root = str(course_dir / ".exchange")
    return cfg


def make_api(course_dir: Path, *, quiet: bool = True, gradebook: Path | None = None):
    """Create an ``nbgrader.apps.NbGraderAPI`` bound to a course directory.

    Parameters
    ----------
    course_dir : Path
        The course directory.
    quiet : bool
        Only log warnings and errors from nbgrader.
    gradebook : Path or None
        Use this SQLite gradebook instead of ``<course_dir>/gradebook.db``.

    Returns
    -------
    api : nbgrader.apps.NbGraderAPI
    """
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    cfg = load_config(course_dir)
    if quiet:
        cfg.NbGraderAPI.log_level = logging.WARNING
    if gradebook is not None:
        cfg.CourseDirectory.db_url = "sqlite:///" + str(Path(gradebook).resolve())
    coursedir = CourseDirectory(config=cfg)
    return NbGraderAPI(coursedir=coursedir, config=cfg)


def list_assignments(course_dir: Path = REPO_ROOT) -> list[str]:
    """Names of the assignments under ``source/``.

    Parameters
    ----------
    course_dir : Path

    Returns
    -------
    names : list of str
        Sorted directory names of ``source/*`` that contain a notebook.
    """
    source = Path(course_dir) / "source"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob("*.ipynb")))


def check_assignment(name: str, course_dir: Path = REPO_ROOT) -> Path:
    """Return ``source/<name>`` or raise a `CourseError` listing the assignments that exist.

    Parameters
    ----------
    name : str
        Assignment name, e.g. ``a2_mlp_mnist``.
    course_dir : Path

    Returns
    -------
    path : Path
        The assignment's source directory.
    """
    path = Path(course_dir) / "source" / name
    if not path.is_dir():
        known = ", ".join(list_assignments(course_dir)) or "none"
        raise CourseError(f"no assignment {name!r} under {Path(course_dir) / 'source'} (known: {known})")
    return path


def new_course_dir(target: Path, assignments: list[str], *, source_root: Path = REPO_ROOT) -> Path:
    """Create a scratch course directory holding the config and the sources of some assignments.

    Parameters
    ----------
    target : Path
        Directory to create (its ``source/`` and config are replaced if present).
    assignments : list of str
        Assignments to copy from ``source_root/source``.
    source_root : Path
        Where the course content comes from (the repository by default).

    Returns
    -------
    target : Path
    """
    target = Path(target)
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(Path(source_root) / CONFIG_NAME, target / CONFIG_NAME)
    for name in assignments:
        src = check_assignment(name, source_root)
        dest = target / "source" / name
        if dest.exists():
            shutil.rmtree(dest)
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    return target
