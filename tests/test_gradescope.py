"""The Gradescope autograder zip, run end to end without Gradescope: the zip unpacked into a temporary
"/autograder", ``setup.sh`` offline, ``run_autograder`` on the solution, the blank release, two mutants and
three broken submissions; ``results.json`` checked field by field and against ``autograder grade``."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import zipfile

import nbformat
import pytest

from autograder.audit.samples import sample_submissions, write_submission
from autograder.course import REPO_ROOT, CourseError, new_course_dir
from autograder.course.gradebook import read_scores
from autograder.course.release import generate
from autograder.engine.coordinator import grade_parallel
from autograder.lifecycle.gradescope import build_zip
from offline_env import link_dependencies

pytestmark = pytest.mark.slow

A4 = "a4_losses_and_stability"
NB = f"{A4}.ipynb"


@pytest.fixture(scope="module")
def autograder_root(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gradescope")
    zip_path = build_zip(A4, tmp / "autograder.zip")
    root = tmp / "autograder"
    with zipfile.ZipFile(zip_path) as zf:
        names = set(zf.namelist())
        assert {"setup.sh", "run_autograder", "gradescope.json", f"course/source/{A4}/{NB}",
                "course/gradebook.db", "course/nbgrader_config.py"} <= names, sorted(names)
        assert any(n.startswith("backprop_course-") and n.endswith(".whl") for n in names)
        assert not any(n.startswith(("course/release", "course/solutions")) for n in names)
        assert zf.getinfo("run_autograder").external_attr >> 16 & 0o111
        zf.extractall(root / "source")
    # offline: the venv setup.sh makes sees this environment's dependencies (see offline_env)
    subprocess.run([sys.executable, "-m", "venv", str(root / "venv")], check=True)
    link_dependencies(root / "venv" / "bin" / "python", tmp / "deps")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(BACKPROP_COURSE_PYTHON=sys.executable, BACKPROP_COURSE_PIP_OPTIONS="--no-index",
               HOME=str(tmp / "home"), BACKPROP_COURSE_OFFLINE="1",
               # the linked dependencies really live in this environment: the kernel guard may read them there
               BACKPROP_COURSE_READ_ROOTS=os.pathsep.join(site.getsitepackages()))
    proc = subprocess.run(["bash", str(root / "source" / "setup.sh")], capture_output=True, text=True, env=env,
                          timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "loads no data set" in proc.stdout
    where = subprocess.run([str(root / "venv" / "bin" / "python"), "-c", "import autograder; print(autograder.__file__)"],
                           capture_output=True, text=True, env=env, check=True, cwd=root / "venv").stdout
    assert where.startswith(str(root / "venv")), where  # the package came from the zip's wheel
    return root, env


def run_autograder(root, env, files: dict[str, bytes]) -> dict:
    sub = root / "submission"
    if sub.exists():
        subprocess.run(["rm", "-rf", str(sub), str(root / "results")], check=True)
    sub.mkdir()
    for name, data in files.items():
        (sub / name).write_bytes(data)
    proc = subprocess.run(["bash", str(root / "source" / "run_autograder")], capture_output=True, text=True,
                          env=env, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads((root / "results" / "results.json").read_text())


def test_results_match_autograder_grade_field_by_field(autograder_root, tmp_path):
    root, env = autograder_root
    subs = sample_submissions(A4)
    mutants = sorted(s for s in subs if s.startswith("mutant-"))[:2]
    chosen = {s: subs[s] for s in ["solution", "untouched", *mutants]}
    course = new_course_dir(tmp_path / "course", [A4])
    generate(A4, source_root=course, out_root=course, gradebook=course / "gradebook.db")
    for student, nb in chosen.items():
        write_submission(course, student, A4, nb)
    grade_parallel(course, A4, workers=1, progress=False)
    source = nbformat.read(REPO_ROOT / "source" / A4 / NB, as_version=4)
    hidden = {c.metadata["nbgrader"]["grade_id"] for c in source.cells
              if c.metadata.get("nbgrader", {}).get("grade") and "BEGIN HIDDEN TESTS" in c.source}
    for student, nb in chosen.items():
        results = run_autograder(root, env, {NB: nbformat.writes(nb).encode()})
        expected = {c.grade_id: (c.score, c.max_score) for c in read_scores(course, A4, student) if c.autograded}
        assert {t["name"]: (t["score"], t["max_score"]) for t in results["tests"]} == expected, (student, results)
        assert results["score"] == sum(s for s, _ in expected.values())
        assert results["execution_time"] > 0
        for test in results["tests"]:
            assert set(test) == {"name", "score", "max_score", "status", "output", "visibility"}
            assert test["status"] == ("passed" if test["score"] == test["max_score"] else "failed")
            assert test["visibility"] == ("after_published" if test["name"] in hidden else "visible")
            assert (test["output"] == "") == (test["status"] == "passed"), test
            assert "BEGIN HIDDEN TESTS" not in test["output"] and "_ck." not in test["output"]
        if student == "solution":
            assert all(t["status"] == "passed" for t in results["tests"]) and results["score"] > 0
        if student.startswith("mutant-"):
            assert any(t["status"] == "failed" and t["output"] for t in results["tests"]), results


@pytest.mark.parametrize("files, says", [
    ({}, "No notebook was submitted"),
    ({"my_work.ipynb": b"{}"}, "is named my_work.ipynb"),
    ({NB: b"this is not json"}, "could not be read as a Jupyter notebook"),
])
def test_a_broken_submission_is_one_message_and_zero(autograder_root, files, says):
    root, env = autograder_root
    results = run_autograder(root, env, files)
    assert results["score"] == 0 and results["tests"] == [] and says in results["output"], results


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(CourseError, match="hidden-visibility"):
        build_zip(A4, tmp_path / "x.zip", hidden_visibility="sometimes")
    with pytest.raises(CourseError):
        build_zip("no_such_assignment", tmp_path / "x.zip")


def test_student_code_cannot_read_the_hidden_tests_in_the_zip(autograder_root):
    root, env = autograder_root
    nb = sample_submissions(A4)["solution"]
    secret = root / "source" / "course" / "source" / A4 / NB
    # if the read works, the student breaks their own sigmoid, so a test fails and shows it
    at = next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == "test_sigmoid")
    nb.cells.insert(at, nbformat.v4.new_code_cell(
        f"try:\n    open({str(secret)!r}).read()  # noqa\n    def sigmoid(z):\n        return 0 * z\nexcept PermissionError:\n    pass"))
    results = run_autograder(root, env, {NB: nbformat.writes(nb).encode()})
    assert results["tests"] and all(t["status"] == "passed" for t in results["tests"]), results


def test_setup_takes_mnist_from_mnist_dir_for_an_assignment_that_loads_it(tmp_path, monkeypatch):
    import json
    import shutil

    from autograder.lifecycle.gradescope.setup import prepare

    mnist = REPO_ROOT.parent / "shared" / "data" / "mnist"
    if not (mnist / "train-images-idx3-ubyte.gz").is_file():
        pytest.skip("no MNIST copy beside the checkout")
    root = tmp_path / "autograder"
    shutil.copytree(REPO_ROOT / "source" / "a2_mlp_mnist", root / "source" / "course" / "source" / "a2_mlp_mnist")
    (root / "source" / "gradescope.json").write_text(json.dumps({"assignment": "a2_mlp_mnist"}))
    monkeypatch.setenv("MNIST_DIR", str(mnist))
    monkeypatch.setenv("BACKPROP_COURSE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("BACKPROP_COURSE_OFFLINE", "1")
    assert "matches its checksums" in prepare(root)
    monkeypatch.setenv("MNIST_DIR", str(tmp_path / "empty"))
    (tmp_path / "empty").mkdir()
    shutil.rmtree(tmp_path / "cache")
    with pytest.raises(Exception, match="MNIST"):
        prepare(root)
