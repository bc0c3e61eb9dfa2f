"""The README's student setup works: the course wheel, installed with the documented command into a fresh
virtual environment, runs a released notebook's public tests with ``autograder validate``.

The machines here have no internet, so the fresh environment sees this environment's dependencies through
a folder of links (every installed distribution except this course's own package), and pip runs with
``--no-index``; the course package itself comes only from the wheel built here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from autograder.course import REPO_ROOT
from offline_env import link_dependencies

pytestmark = pytest.mark.slow

ASSIGNMENT = "a4_losses_and_stability"  # needs no MNIST


def documented_install_command() -> list[str]:
    """The wheel install line of the README's "For students" section, as an argument list."""
    section = REPO_ROOT.joinpath("README.md").read_text(encoding="utf-8").split("## For students", 1)[1]
    line = next(ln for ln in section.splitlines() if ln.startswith("python -m pip install backprop_course"))
    return line.split("#", 1)[0].split()


def _run(args, **kwargs):
    proc = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=600, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout


@pytest.fixture(scope="module")
def student_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("student")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(REPO_ROOT / name, src / name)
    shutil.copytree(REPO_ROOT / "autograder", src / "autograder", ignore=shutil.ignore_patterns("__pycache__"))
    # The README's instructor line is ``pip wheel . --no-deps -w dist``; offline, the build uses this
    # environment's setuptools instead of fetching one.
    _run([sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", tmp / "dist"],
         cwd=src)
    wheel = next((tmp / "dist").glob("backprop_course-*.whl"))

    _run([sys.executable, "-m", "venv", tmp / "venv"])
    python = tmp / "venv" / "bin" / "python"
    link_dependencies(python, tmp / "deps")

    command = documented_install_command()
    assert command[:3] == ["python", "-m", "pip"] and command[4].endswith(".whl"), command
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["JUPYTER_DATA_DIR"] = str(tmp / "jupyter")  # no kernel spec of this machine's user
    _run([python, *command[1:4], wheel, "--no-index", "-q"], cwd=tmp, env=env)
    return tmp, python, env


def test_the_course_package_comes_from_the_wheel(student_env):
    tmp, python, env = student_env
    where = _run([python, "-c", "import autograder, sys; print(autograder.__file__); print(sys.prefix)"],
                 cwd=tmp, env=env).split()
    assert where[0].startswith(str(tmp / "venv")) and where[1] == str(tmp / "venv"), where
    spec = _run([python, "-c", "from jupyter_client.kernelspec import KernelSpecManager as K; "
                 "print(K().get_kernel_spec('python3').argv[0])"], cwd=tmp, env=env).strip()
    assert spec == str(python), f"validate would run another Python's kernel: {spec}"


def test_validate_runs_the_public_tests_in_the_student_environment(student_env):
    tmp, python, env = student_env
    autograder = python.parent / "autograder"
    for kind in ("release", "solutions"):
        shutil.copytree(REPO_ROOT / kind / ASSIGNMENT, tmp / kind)
    solved = subprocess.run([autograder, "validate", tmp / "solutions" / f"{ASSIGNMENT}.ipynb"], cwd=tmp, env=env,
                            capture_output=True, text=True, timeout=600)
    counts = re.search(r"(\d+) of (\d+) test cells with public tests pass", solved.stdout)
    assert solved.returncode == 0 and counts and counts[1] == counts[2], solved.stdout + solved.stderr
    released = subprocess.run([autograder, "validate", tmp / "release" / f"{ASSIGNMENT}.ipynb"], cwd=tmp, env=env,
                              capture_output=True, text=True, timeout=600)
    assert released.returncode == 1, released.stdout + released.stderr
    assert f"0 of {counts[2]} test cells with public tests pass" in released.stdout
    assert "a TODO cell is still the stub" in released.stdout
    assert "ModuleNotFoundError" not in released.stdout + released.stderr
