"""Invalid submissions: each is graded as nbgrader 0.9 grades it, or recorded with 0 and a reason an
instructor understands; none stops the batch, and the correct and wrong controls graded beside them
keep exactly their scores. Also the output cap (kernel side and worker side)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import nbformat
import pytest

from autograder.course import REPO_ROOT, list_assignments, load_config, new_course_dir
from autograder.engine.diagnose import diagnose
from autograder.engine.jobs import Limits, read_tree
from autograder.engine.kernel_launcher import TRUNCATED, cap_stream
from autograder.engine.ledger import Ledger, grade_log
from autograder.course.release import generate
from tiny_course import TINY, tiny_source, tiny_submission

pytestmark = pytest.mark.xdist_group("engine")

NB = f"{TINY}.ipynb"
#: test_b of this course also has a hidden test: ``b`` must be an int (2.0 passes the visible one only).
HIDDEN_TEST_B = "assert b == 2\n### BEGIN HIDDEN TESTS\nassert isinstance(b, int)\n### END HIDDEN TESTS"


def hidden_tiny_course(root: Path) -> Path:
    """The tiny assignment with a hidden test in test_b, generated and in its gradebook."""
    course = new_course_dir(Path(root) / "course", [])
    (course / "source" / TINY).mkdir(parents=True)
    nb = tiny_source()
    nb.cells[4].source = HIDDEN_TEST_B
    nbformat.write(nb, str(course / "source" / TINY / NB))
    generate(TINY, source_root=course, out_root=course, gradebook=course / "gradebook.db")
    return course


def released(course: Path, answer_a: str = "a = 1", answer_b: str = "b = 2") -> nbformat.NotebookNode:
    nb = nbformat.read(course / "release" / TINY / NB, as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell.source = {"answer_a": answer_a, "answer_b": answer_b}.get(gid, cell.source)
    return nb


def index(nb, grade_id: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def put(course: Path, student: str, content=None, name: str = NB) -> None:
    """``content``: a notebook, JSON-able dict, text; None leaves the submission folder empty."""
    folder = course / "submitted" / student / TINY
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(content, nbformat.NotebookNode):
        content = nbformat.writes(content)
    elif isinstance(content, dict):
        content = json.dumps(content)
    if content is not None:
        (folder / name).write_text(content, encoding="utf-8")


def write_cases(course: Path) -> None:
    tiny_submission(course, "correct")
    tiny_submission(course, "wrong", answer_b="b = 3")
    tiny_submission(course, "hidden_fails", answer_b="b = 2.0")  # passes the visible test only
    # (a) not JSON
    put(course, "not_json", '{"cells": [\n  {"cell_type": "code",\n    oops\n')
    # (b) other nbformat versions
    put(course, "nbformat3", nbformat.writes(nbformat.convert(released(course), 3)))
    as_dict = json.loads(nbformat.writes(released(course)))
    put(course, "nbformat5", dict(as_dict, nbformat=5, nbformat_minor=99))
    put(course, "claims3", dict(as_dict, nbformat=3, nbformat_minor=0))
    # (c) no notebook, (d) renamed notebook
    put(course, "empty")
    put(course, "no_notebook", "a = 1\nb = 2\n", name="answers.py")
    put(course, "renamed", released(course), name=f"{TINY} (1).ipynb")
    # (e) deleted cells
    nb = released(course)
    del nb.cells[index(nb, "answer_a")]
    put(course, "deleted_answer", nb)
    nb = released(course)
    del nb.cells[index(nb, "test_b")]
    put(course, "deleted_test", nb)
    # (f) duplicated cells
    nb = released(course)
    nb.cells.insert(index(nb, "test_b"), copy.deepcopy(nb.cells[index(nb, "test_b")]))
    put(course, "duplicated_test", nb)
    nb = released(course, answer_b="b = 0")
    copied = copy.deepcopy(nb.cells[index(nb, "answer_b")])
    copied.source = "b = 2"
    nb.cells.insert(index(nb, "answer_b") + 1, copied)
    put(course, "duplicated_answer", nb)
    # (g) edited read-only and test cells
    nb = released(course)
    nb.cells[index(nb, "intro")].source = "# my own title"
    put(course, "edited_locked", nb)
    nb = released(course, answer_b="b = 2.0")
    nb.cells[index(nb, "test_b")].source = "pass"
    put(course, "edited_test", nb)
    # (h) changed grade ids
    nb = released(course)
    nb.cells[index(nb, "test_b")].metadata.nbgrader["grade_id"] = "test_mine"
    put(course, "renamed_test_id", nb)
    nb = released(course)
    nb.cells[index(nb, "answer_a")].metadata.nbgrader["grade_id"] = "answer_mine"
    put(course, "renamed_answer_id", nb)
    # (i) nbgrader metadata removed from a test cell (and the test replaced)
    nb = released(course, answer_b="b = 0")
    test_b = nb.cells[index(nb, "test_b")]
    del test_b.metadata["nbgrader"]
    test_b.source = "pass"
    put(course, "stripped_test", nb)
    # (j) checksums (and points) changed
    nb = released(course)
    for cell in nb.cells:
        cell.metadata.nbgrader["checksum"] = "0" * 32
    nb.cells[index(nb, "test_b")].metadata.nbgrader["points"] = 100
    put(course, "checksums", nb)
    # output cap: an answer cell printing 200 MiB
    tiny_submission(course, "flood", answer_a="for _ in range(200):\n    print('x' * 2**20)\na = 1")


GRADED = {  # student -> (test_a, test_b), status graded unless listed in LIMITED
    "correct": (1, 1), "wrong": (1, 0), "hidden_fails": (1, 0), "nbformat3": (1, 1),
    "deleted_answer": (0, 1), "deleted_test": (1, 0), "edited_locked": (1, 1), "edited_test": (1, 0),
    "stripped_test": (1, 0), "checksums": (1, 1), "flood": (1, 1),
}
LIMITED = {"flood"}
FAILED = {  # student -> what the reason says (after "recorded with 0: ")
    "not_json": "submitted notebook tiny.ipynb is not valid JSON (line 3 column 5: Expecting property name",
    "nbformat5": "submitted notebook tiny.ipynb claims nbformat 5.99, a version nbformat cannot read",
    "claims3": "submitted notebook tiny.ipynb claims nbformat 3.0 but holds nbformat 4 content",
    "empty": "no notebook submitted: expected tiny.ipynb, the submission folder is empty",
    "no_notebook": "no notebook submitted: expected tiny.ipynb, the submission holds only answers.py",
    "renamed": "no notebook named tiny.ipynb was submitted, but 'tiny (1).ipynb' was: nbgrader grades only "
               "notebooks named as in the assignment (rename it to tiny.ipynb)",
    "duplicated_test": "tiny.ipynb: test cell test_b appears 2 times (cells 4, 5): nbgrader cannot grade",
    "duplicated_answer": "tiny.ipynb: answer cell answer_b appears 2 times (cells 3, 4)",
    "renamed_test_id": "tiny.ipynb: cell 4 has grade_id 'test_mine', which the assignment does not have "
                       "(test_b missing: renamed?)",
    "renamed_answer_id": "tiny.ipynb: cell 1 has grade_id 'answer_mine', which the assignment does not have "
                         "(answer_a missing: renamed?)",
}
NOTES = {  # student -> what one of its reasons says
    "nbformat3": "submitted notebook tiny.ipynb is nbformat 3.0: nbformat converted it to nbformat 4",
    "deleted_answer": "answer cell answer_a is missing (deleted, or its nbgrader metadata removed): nbgrader "
                      "does not put it back",
    "deleted_test": "test cell test_b is missing (deleted, or its nbgrader metadata removed): nbgrader does not "
                    "put it back and does not grade it (no score, 0 unless graded by hand)",
    "stripped_test": "test cell test_b is missing (deleted, or its nbgrader metadata removed)",
    "edited_locked": "read-only cell intro was edited: nbgrader replaced it with the assignment's version",
    "edited_test": "test cell test_b was edited: nbgrader replaced it with the assignment's version (hidden "
                   "tests included) before running it",
    "checksums": "nbgrader metadata of test cell test_b was changed (points 100 instead of 1; checksum)",
    "flood": "output cap: cell 1 (answer_a) printed more than the notebook's 10 MiB of output",
}


# ---------------------------------------------------------------------------------------------------
# fast: the explanations, the output caps


def test_generated_notebooks_need_no_explanation():
    config = load_config(REPO_ROOT)
    for assignment in list_assignments(REPO_ROOT):
        source = read_tree(REPO_ROOT / "source" / assignment)
        for kind in ("release", "solutions"):
            found = diagnose(read_tree(REPO_ROOT / kind / assignment), source, config=config)
            assert (found.problems, found.notes) == ([], []), (assignment, kind)


def test_explanations_of_missing_and_extra_notebooks():
    source = {"one.ipynb": nbformat.writes(tiny_source()).encode(), "two.ipynb": nbformat.writes(tiny_source()).encode()}
    sub = {"one.ipynb": source["one.ipynb"], "extra.ipynb": b"{}", "sub/two.ipynb": source["two.ipynb"]}
    found = diagnose(sub, source)
    assert found.problems == []
    assert found.notes == ["two.ipynb was not submitted: nbgrader gives 0 to its cells",
                           "extra.ipynb is not part of the assignment: not graded",
                           "sub/two.ipynb is not in the submission's top folder: not graded"]
    assert diagnose({"one.ipynb": b"\xff\xfe"}, source).problems == [
        "submitted notebook one.ipynb is not a text file (invalid UTF-8 at byte 0)"]
    assert diagnose({"one.ipynb": b"[1, 2]"}, source).problems == [
        "submitted notebook one.ipynb is JSON but not a notebook (a list, not an object)"]


class _Stream:
    def __init__(self):
        self.parent_header, self.out = {"msg_id": "cell-1"}, []

    def write(self, text):
        self.out.append(text)
        return len(text)


def test_kernel_side_cap_keeps_one_note_per_cell():
    stream = _Stream()
    cap_stream(stream, 1 / 1024)  # 1 KiB
    assert stream.write("a" * 1000) == 1000
    assert stream.write("b" * 100) == 100 and stream.write("Q" * 100) == 100
    stream.parent_header = {"msg_id": "cell-2"}
    stream.write("Z")
    text = "".join(stream.out)
    assert text.startswith("a" * 1000 + "b" * 24 + "\n" + TRUNCATED) and "Q" not in text and "Z" not in text
    assert text.count(TRUNCATED) == 2  # once in each cell


def _executor(cap_bytes: int):
    from nbclient.client import NotebookClient

    from autograder.engine.guarded_execute import GuardedExecute

    nb = tiny_source()
    ex = GuardedExecute(output_limit_mb=cap_bytes / 2**20)
    NotebookClient.__init__(ex, nb)
    ex.reset_execution_trackers()
    ex.clear_before_next_output = False  # as nbclient sets it for each cell
    ex.start_output_count()
    return ex, nb


def _msg(kind: str, **content):
    return {"msg_type": kind, "header": {"msg_type": kind}, "parent_header": {"msg_id": "m"}, "content": content}


def test_worker_side_cap_cuts_streams_keeps_errors_and_results():
    ex, nb = _executor(100)
    outs = nb.cells[4].outputs = []
    ex.output(outs, _msg("stream", name="stdout", text="x" * 60), None, 4)
    ex.output(outs, _msg("stream", name="stdout", text="y" * 60), None, 4)  # cut at 100 bytes
    ex.output(outs, _msg("stream", name="stdout", text="z" * 60), None, 4)  # dropped
    ex.output(outs, _msg("display_data", data={"text/plain": "p" * 10}, metadata={}), None, 4)  # dropped
    ex.output(outs, _msg("stream", name="stderr", text="e" * 60), None, 4)  # dropped, but stderr noted
    ex.output(outs, _msg("error", ename="AssertionError", evalue="v" * 5000, traceback=["t"] * 300), None, 4)
    ex.output(outs, _msg("execute_result", data={"text/plain": "0.5", "text/html": "h" * 10**4}, metadata={},
                         execution_count=1), None, 4)
    kinds = [(o.output_type, o.get("name")) for o in outs]
    assert kinds == [("stream", "stdout"), ("stream", "stdout"), ("stream", "stdout"), ("stream", "stderr"),
                     ("error", None), ("execute_result", None)]
    assert outs[0].text + outs[1].text == "x" * 60 + "y" * 40 and TRUNCATED in outs[2].text
    assert TRUNCATED in outs[3].text  # nbgrader still sees stderr output: a test cell keeps its 0
    assert outs[4].ename == "AssertionError" and len(outs[4].evalue) < 2100 and len(outs[4].traceback) == 100
    assert outs[5].data == {"text/plain": "0.5"}  # partial credit still readable
    assert ex._cap_reasons == ["output cap: cell 4 (test_b) printed more than the notebook's 9.53674e-05 MiB "
                               "of output; the rest of its output was dropped"]
    ex.clear_output(outs, _msg("clear_output", wait=False), 4)  # what is cleared stops counting
    ex.output(outs, _msg("stream", name="stdout", text="w" * 50), None, 4)
    assert [o.text for o in outs] == ["w" * 50]


# ---------------------------------------------------------------------------------------------------
# one batch with every case


@pytest.mark.slow
def test_invalid_submissions_in_one_batch(tmp_path):
    from autograder.engine.coordinator import grade_parallel

    course = hidden_tiny_course(tmp_path)
    write_cases(course)
    results = grade_parallel(course, TINY, workers=2, progress=False)
    by = {r.student: r for r in results}
    assert set(by) == set(GRADED) | set(FAILED)
    scores = {s: {c.grade_id: (c.score, c.max_score) for c in r.cells if c.autograded} for s, r in by.items()}
    for student, (a, b) in GRADED.items():
        assert scores[student] == {"test_a": (a, 1), "test_b": (b, 1)}, student
        assert by[student].status == ("limit" if student in LIMITED else "graded"), (student, by[student].reasons)
    for student, reason in FAILED.items():
        assert by[student].status == "failed", (student, by[student].status, by[student].reasons)
        assert scores[student] == {"test_a": (0, 1), "test_b": (0, 1)}, student
        assert by[student].reasons[0].startswith("recorded with 0: " + reason), (student, by[student].reasons)
    for student, note in NOTES.items():
        assert any(note in r for r in by[student].reasons), (student, by[student].reasons)
    for student in ("correct", "wrong", "hidden_fails"):
        assert by[student].reasons == [], student

    flooded = course / "autograded" / "flood" / TINY / NB
    assert flooded.stat().st_size < 10 * 2**20 + 2**18
    outputs = nbformat.read(flooded, as_version=4).cells[1].outputs
    assert TRUNCATED in outputs[-1].text and outputs[-1].name == "stdout"

    ledger = {r["student"]: r for r in Ledger(course).records()}
    assert set(ledger) == set(by)  # every submission recorded, none left to retry
    assert ledger["not_json"]["status"] == "failed" and ledger["not_json"]["auto_score"] == 0
    assert ledger["deleted_test"]["reasons"] == by["deleted_test"].reasons
    assert {r["student"] for r in grade_log(course).records()} == set(by)

    again = grade_parallel(course, TINY, workers=2, progress=False)
    assert {r.status for r in again} == {"skipped"}  # failed submissions are not retried forever


def test_limits_default_output_cap():
    assert Limits().output_cap_mb == 10 and Limits(output_mb=0).output_cap_mb == 0
    assert Limits(output_mb=2.5).output_cap_mb == 2.5
