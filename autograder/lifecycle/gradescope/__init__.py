"""``autograder gradescope``: a Gradescope autograder zip built from the course, graded by the same engine.

Gradescope's autograder specification: the zip holds ``setup.sh`` (run once, as root, in
``/autograder/source`` where the zip is unpacked, to build the image) and ``run_autograder`` (run for
every submission, with the student's files in ``/autograder/submission/``; it must write
``/autograder/results/results.json``). This zip carries

* ``backprop_course-<version>-py3-none-any.whl``: this package, installed by ``setup.sh`` into
  ``<root>/venv`` with its dependencies from the package index;
* ``course/``: ``nbgrader_config.py``, ``source/<assignment>/`` (with the hidden tests) and a gradebook in
  which the assignment is registered; student code never sees it, because the engine grades in a scratch
  copy and the kernel's guard lets it read only the submission's own folder;
* ``gradescope.json``: the assignment, its notebook name, the visibility of the hidden tests' outcome and
  the grading limits.

``run_autograder`` calls `autograder.lifecycle.gradescope.run`, which grades exactly as ``autograder grade``
does (Dask engine, judge, guard, limits) and writes one ``tests`` entry per graded test cell. The root
(``/autograder``) is the parent of the folder ``setup.sh`` is in, so the whole thing runs unchanged in a
temporary folder (see ``tests/test_gradescope.py``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from ...course.config import CONFIG_NAME, REPO_ROOT, CourseError, check_assignment
from ...course.gradebook import ensure_in_gradebook

#: Gradescope's visibilities (``hidden``: never shown; ``after_due_date``; ``after_published``; ``visible``).
VISIBILITIES = ("hidden", "after_due_date", "after_published", "visible")
SPEC_NAME = "gradescope.json"

SETUP_SH = r"""#!/usr/bin/env bash
# Gradescope runs this once, in <root>/source (root: /autograder), to build the autograder image.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
PYTHON="${BACKPROP_COURSE_PYTHON:-python3}"
if ! "$PYTHON" -m venv --help >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq python3-venv python3-pip >/dev/null
fi
"$PYTHON" -m venv ${BACKPROP_COURSE_VENV_OPTIONS:-} "$ROOT/venv"
cd "$ROOT/venv"  # python -m puts the working directory first on sys.path: one without a package in it
# BACKPROP_COURSE_PIP_OPTIONS: extra pip options, e.g. --no-index --find-links DIR offline
"$ROOT/venv/bin/python" -m pip install --quiet ${BACKPROP_COURSE_PIP_OPTIONS:-} "$HERE"/backprop_course-*.whl
# The data the notebook needs, downloaded (or taken from MNIST_DIR) and checked against its checksums.
"$ROOT/venv/bin/python" -m autograder.lifecycle.gradescope.setup --root "$ROOT"
"""

RUN_AUTOGRADER = r"""#!/usr/bin/env bash
# Gradescope runs this for every submission: grade /autograder/submission, write /autograder/results/results.json.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="${AUTOGRADER_ROOT:-$([ -d "$HERE/source" ] && echo "$HERE" || dirname "$HERE")}"
cd "$ROOT/venv"  # python -m puts the working directory first on sys.path: one without a package in it
exec "$ROOT/venv/bin/python" -m autograder.lifecycle.gradescope.run --root "$ROOT"
"""


def build_wheel(dest: Path) -> Path:
    """Build this package's wheel (no dependencies) into ``dest``; returns its path."""
    if not (REPO_ROOT / "pyproject.toml").is_file():
        raise CourseError(f"the course package's source is not at {REPO_ROOT} (install it with `pip install -e .` "
                          "from the repository to build Gradescope zips)")
    with tempfile.TemporaryDirectory(prefix="autograder-wheel-") as tmp:
        src = Path(tmp) / "src"
        src.mkdir()
        for name in ("pyproject.toml", "README.md"):
            shutil.copy(REPO_ROOT / name, src / name)
        shutil.copytree(REPO_ROOT / "autograder", src / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q",
                               "-w", str(dest)], cwd=src, capture_output=True, text=True)
        if proc.returncode != 0:
            raise CourseError("building the course wheel failed (is setuptools installed?):\n"
                              + (proc.stderr or proc.stdout)[-2000:])
    return next(Path(dest).glob("backprop_course-*.whl"))


def build_zip(assignment: str, output: Path | None = None, *, course_dir: Path = REPO_ROOT,
              hidden_visibility: str = "after_published", limits: dict | None = None) -> Path:
    """Write the Gradescope autograder zip of one assignment.

    Parameters
    ----------
    assignment : str
        A directory under ``course_dir/source``.
    output : Path or None
        The zip to write (default: ``gradescope-<assignment>.zip`` in the current directory).
    course_dir : Path
        Where ``source/`` and ``nbgrader_config.py`` are.
    hidden_visibility : str
        Gradescope visibility of the outcome of test cells with hidden tests (one of `VISIBILITIES`);
        test cells without hidden tests are always ``visible``.
    limits : dict or None
        Grading limits for `autograder.engine.jobs.Limits` (``timeout``, ``notebook_timeout``,
        ``memory_mb``, ...); default: the course configuration's for this assignment.

    Returns
    -------
    zip_path : Path
    """
    from ...engine.limits import configured_limits

    course_dir = Path(course_dir)
    check_assignment(assignment, course_dir)
    if hidden_visibility not in VISIBILITIES:
        raise CourseError(f"--hidden-visibility must be one of {', '.join(VISIBILITIES)}, got {hidden_visibility!r}")
    notebooks = sorted(p.name for p in (course_dir / "source" / assignment).glob("*.ipynb"))
    if len(notebooks) != 1:
        raise CourseError(f"source/{assignment} must hold exactly one notebook for Gradescope, found {notebooks}")
    if limits is None:
        import dataclasses

        limits = {k: v for k, v in dataclasses.asdict(configured_limits(course_dir).limits(assignment=assignment)).items()}
    output = Path(output or f"gradescope-{assignment}.zip")
    with tempfile.TemporaryDirectory(prefix="autograder-gradescope-") as tmp:
        stage = Path(tmp) / "zip"
        course = stage / "course"
        (course / "source").mkdir(parents=True)
        shutil.copytree(course_dir / "source" / assignment, course / "source" / assignment,
                        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        config = course_dir / CONFIG_NAME if (course_dir / CONFIG_NAME).is_file() else REPO_ROOT / CONFIG_NAME
        shutil.copy(config, course / CONFIG_NAME)
        ensure_in_gradebook(course, assignment)
        for generated in ("release", "solutions"):  # registering generated them; the zip needs neither
            shutil.rmtree(course / generated, ignore_errors=True)
        build_wheel(stage)
        (stage / SPEC_NAME).write_text(json.dumps({
            "assignment": assignment, "notebook": notebooks[0], "hidden_visibility": hidden_visibility,
            "limits": limits}, indent=1, sort_keys=True), encoding="utf-8")
        (stage / "setup.sh").write_text(SETUP_SH, encoding="utf-8")
        (stage / "run_autograder").write_text(RUN_AUTOGRADER, encoding="utf-8")
        output.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as zf:
            for path in sorted(stage.rglob("*")):
                if path.is_file():
                    info = zipfile.ZipInfo(path.relative_to(stage).as_posix())
                    info.external_attr = (0o755 if path.name in ("setup.sh", "run_autograder") else 0o644) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, path.read_bytes())
    return output


def cmd_gradescope(args) -> int:
    course = Path(args.course_dir or ".")
    path = build_zip(args.assignment, Path(args.output) if args.output else None, course_dir=course,
                     hidden_visibility=args.hidden_visibility)
    print(f"wrote {path} (upload it as the assignment's autograder on Gradescope: Configure Autograder, "
          "Zip file upload)")
    return 0


def register(sub) -> None:
    """Add the ``gradescope`` command to the CLI's subparsers."""
    p = sub.add_parser("gradescope", help="write a Gradescope autograder zip for an assignment",
                       description="Write a Gradescope autograder zip (setup.sh, run_autograder, this package's "
                       "wheel, the assignment's source with hidden tests and its gradebook). On Gradescope each "
                       "submission is graded by the same engine and judge as `autograder grade`; results.json "
                       "has one test per graded cell.",
                       epilog="example: autograder gradescope a2_mlp_mnist -o a2-autograder.zip")
    p.add_argument("assignment", help="assignment name")
    p.add_argument("-o", "--output", help="zip to write (default: gradescope-<assignment>.zip)")
    p.add_argument("--course-dir", help="course directory (default: current directory)")
    p.add_argument("--hidden-visibility", default="after_published", choices=VISIBILITIES,
                   help="when students see the outcome of test cells with hidden tests (default: after_published)")
    p.set_defaults(func=cmd_gradescope)
