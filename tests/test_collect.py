"""``autograder collect``: LMS downloads (Canvas, Moodle, Blackboard, plain) into nbgrader's submitted/ layout."""

from __future__ import annotations

import io
import json
import os
import re
import stat
import zipfile
from pathlib import Path
from unittest import mock

import pytest

from autograder.cli import main
from autograder.lifecycle.collect import collect, safe_id
from autograder.course import new_course_dir

A = "a2_mlp_mnist"
NB = "a2_mlp_mnist.ipynb"
T0 = (2024, 3, 1, 10, 0, 0)


def nb(tag: str) -> bytes:
    """A small valid notebook whose content tells which one it is."""
    return json.dumps({"cells": [], "metadata": {"tag": tag}, "nbformat": 4, "nbformat_minor": 5}).encode()


def zip_bytes(files: dict[str, bytes], date_time=T0, links: dict[str, str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=date_time), data)
        for name, target in (links or {}).items():
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return buf.getvalue()


def write_tree(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def tree(root: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def submitted(course: Path) -> dict[str, bytes]:
    return tree(course / "submitted") if (course / "submitted").is_dir() else {}


def problems(report: dict) -> list[tuple]:
    return [(p["student"], p["source"], p["kind"]) for p in report["problems"]]


def imported(report: dict) -> list[tuple]:
    return [(r["student"], r["source"], r["target"], tuple(r["notes"])) for r in report["imported"]]


@pytest.fixture
def course(tmp_path):
    return new_course_dir(tmp_path / "course", [A])


@pytest.fixture
def run(course, capsys):
    """Run ``autograder collect`` on a download; return (status, JSON report or None, stdout)."""

    def _run(path: Path, *extra: str):
        reports = course / ".autograder"
        before = set(reports.glob("collect-*.json")) if reports.is_dir() else set()
        status = main(["collect", A, str(path), "--course-dir", str(course), *extra])
        captured = capsys.readouterr()
        new = sorted(set(reports.glob("collect-*.json")) - before) if reports.is_dir() else []
        assert len(new) <= 1
        return status, (json.loads(new[0].read_text()) if new else None), captured.out + captured.err

    return _run


def target(student: str) -> str:
    return f"submitted/{student}/{A}/{NB}"


def test_canvas_zip(tmp_path, run, course):
    download = tmp_path / "submissions.zip"
    download.write_bytes(zip_bytes({
        "lovelaceada_101_9001_a2_mlp_mnist.ipynb": nb("ada"),
        "turingalan_LATE_102_9002_a2_mlp_mnist (1).ipynb": nb("alan"),
        "hoppergrace_late_103_9003_a2_mlp_mnist.ipynb": nb("grace"),
        "hoppergrace_late_103_9003_helpers.py": b"x = 1\n",
        "curiemarie_104_9004_submission.zip": zip_bytes({"hw/a2_mlp_mnist.ipynb": nb("marie")}),
        "__MACOSX/._lovelaceada_101_9001_a2_mlp_mnist.ipynb": b"\0\0junk",
        ".DS_Store": b"junk",
    }))
    status, report, out = run(download)
    assert status == 0 and report["problems"] == []
    assert imported(report) == [  # sorted by student
        ("curiemarie", "curiemarie_104_9004_submission.zip/hw/a2_mlp_mnist.ipynb", target("curiemarie"), ()),
        ("hoppergrace", "hoppergrace_late_103_9003_a2_mlp_mnist.ipynb", target("hoppergrace"),
         ("not imported (only the notebook is): hoppergrace_late_103_9003_helpers.py",)),
        ("lovelaceada", "lovelaceada_101_9001_a2_mlp_mnist.ipynb", target("lovelaceada"), ()),
        ("turingalan", "turingalan_LATE_102_9002_a2_mlp_mnist (1).ipynb", target("turingalan"),
         (f"renamed a2_mlp_mnist (1).ipynb -> {NB}",)),
    ]
    assert submitted(course) == {f"{s}/{A}/{NB}": nb(t) for s, t in
                                 [("curiemarie", "marie"), ("hoppergrace", "grace"), ("lovelaceada", "ada"), ("turingalan", "alan")]}
    assert "student" in out and "lovelaceada <- lovelaceada_101_9001_a2_mlp_mnist.ipynb" in out
    assert f"report: {course / '.autograder'}" in out


def test_canvas_resubmission_keeps_the_latest_submission_id(tmp_path, run, course):
    download = write_tree(tmp_path / "dl", {
        "lovelaceada_101_9001_a2_mlp_mnist.ipynb": nb("first"),
        "lovelaceada_101_9010_a2_mlp_mnist-1.ipynb": nb("second"),
    })
    os.utime(download / "lovelaceada_101_9001_a2_mlp_mnist.ipynb", (2e9, 2e9))  # newer file, older submission
    status, report, _ = run(download)
    assert status == 1
    assert problems(report) == [("lovelaceada", "lovelaceada_101_9001_a2_mlp_mnist.ipynb", "duplicate")]
    assert "kept lovelaceada_101_9010_a2_mlp_mnist-1.ipynb (the latest)" in report["problems"][0]["reason"]
    assert submitted(course) == {f"lovelaceada/{A}/{NB}": nb("second")}


def test_two_canvas_users_with_the_same_name_are_not_merged(tmp_path, run, course):
    download = write_tree(tmp_path / "dl", {"smithjohn_1_10_a2_mlp_mnist.ipynb": nb("one"),
                                            "smithjohn_2_11_a2_mlp_mnist.ipynb": nb("two")})
    status, report, _ = run(download)
    assert status == 1 and report["imported"] == [] and submitted(course) == {}
    assert problems(report) == [("smithjohn", "smithjohn_1_10_a2_mlp_mnist.ipynb", "ambiguous-student"),
                                ("smithjohn", "smithjohn_2_11_a2_mlp_mnist.ipynb", "ambiguous-student")]
    assert "--roster" in report["problems"][0]["reason"]


def test_moodle_folders_nested_zip_and_flat_files(tmp_path, run, course):
    download = write_tree(tmp_path / "moodle", {
        "Ada Lovelace_555_assignsubmission_file_/a2_mlp_mnist.ipynb": nb("ada"),
        "Ada Lovelace_555_assignsubmission_onlinetext_/onlinetext.html": b"<p>hi</p>",
        "Zoë Müller_556_assignsubmission_file_/submission.zip": zip_bytes({
            "work/a2_mlp_mnist.ipynb": nb("zoe"),
            "work/.ipynb_checkpoints/a2_mlp_mnist-checkpoint.ipynb": nb("checkpoint"),
            "__MACOSX/work/._a2_mlp_mnist.ipynb": b"junk",
            "work/inner.zip": zip_bytes({"deeper.ipynb": nb("deep")}),
        }),
        "Bob Ross_557_assignsubmission_file_Copy of a2_mlp_mnist.ipynb": nb("bob"),
    })
    status, report, _ = run(download)
    assert status == 0 and report["problems"] == []
    assert imported(report) == [
        ("Ada_Lovelace", "Ada Lovelace_555_assignsubmission_file_/a2_mlp_mnist.ipynb", target("Ada_Lovelace"),
         ("not imported (only the notebook is): Ada Lovelace_555_assignsubmission_onlinetext_/onlinetext.html",)),
        ("Bob_Ross", "Bob Ross_557_assignsubmission_file_Copy of a2_mlp_mnist.ipynb", target("Bob_Ross"),
         (f"renamed Copy of a2_mlp_mnist.ipynb -> {NB}",)),
        ("Zoe_Muller", "Zoë Müller_556_assignsubmission_file_/submission.zip/work/a2_mlp_mnist.ipynb",
         target("Zoe_Muller"),
         ("not imported (only the notebook is): Zoë Müller_556_assignsubmission_file_/submission.zip/work/inner.zip",)),
    ]
    assert submitted(course) == {f"Ada_Lovelace/{A}/{NB}": nb("ada"), f"Bob_Ross/{A}/{NB}": nb("bob"),
                                 f"Zoe_Muller/{A}/{NB}": nb("zoe")}


def test_blackboard_attempts(tmp_path, run, course):
    download = tmp_path / "gradebook.zip"
    download.write_bytes(zip_bytes({
        "Assignment 2_jsmith_attempt_2024-03-01-10-00-00_a2_mlp_mnist.ipynb": nb("first"),
        "Assignment 2_jsmith_attempt_2024-03-01-10-00-00.txt": b"receipt",
        "Assignment 2_jsmith_attempt_2024-03-02-09-00-00_a2_mlp_mnist.ipynb": nb("second"),
        "Assignment 2_jsmith_attempt_2024-03-02-09-00-00.txt": b"receipt",
        "Assignment 2_kdoe_attempt_2024-03-01-11-00-00.txt": b"receipt, no file",
    }))
    status, report, _ = run(download)
    assert status == 1
    assert imported(report) == [("jsmith", "Assignment 2_jsmith_attempt_2024-03-02-09-00-00_a2_mlp_mnist.ipynb",
                                 target("jsmith"), ())]
    assert problems(report) == [
        ("jsmith", "Assignment 2_jsmith_attempt_2024-03-01-10-00-00_a2_mlp_mnist.ipynb, "
                   "Assignment 2_jsmith_attempt_2024-03-01-10-00-00.txt", "duplicate"),
        ("kdoe", "Assignment 2_kdoe_attempt_2024-03-01-11-00-00.txt", "no-notebook"),
    ]
    assert submitted(course) == {f"jsmith/{A}/{NB}": nb("second")}


def test_plain_folders_and_every_problem(tmp_path, run, course):
    download = write_tree(tmp_path / "dl", {
        "alice/a2_mlp_mnist.ipynb": nb("alice"),
        "bob.ipynb": nb("bob"),
        "carol/x.ipynb": nb("x"), "carol/y.ipynb": nb("y"),
        "dave/a2_mlp_mnist.ipynb": nb("dave"), "dave/old/v1.ipynb": nb("v1"),
        "erin/readme.txt": b"forgot it",
        "frank.zip": b"PK\x03\x04 this is not a zip",
        "gina.ipynb": b"{not json",
        "README.txt": b"from the LMS",
        "hank/a2_mlp_mnist.ipynb": nb("hank old"),
        "hank.zip": zip_bytes({"a2_mlp_mnist.ipynb": nb("hank new")}),
        ".DS_Store": b"junk", "__MACOSX/alice/._a2_mlp_mnist.ipynb": b"junk",
        "alice/.ipynb_checkpoints/a2_mlp_mnist-checkpoint.ipynb": nb("checkpoint"),
    })
    os.utime(download / "hank" / NB, (1e9, 1e9))  # older than the zip's 2024 entry
    status, report, out = run(download)
    assert status == 1
    assert imported(report) == [
        ("alice", "alice/a2_mlp_mnist.ipynb", target("alice"), ()),
        ("bob", "bob.ipynb", target("bob"), (f"renamed bob.ipynb -> {NB}",)),
        ("dave", "dave/a2_mlp_mnist.ipynb", target("dave"), ("not imported (only the notebook is): dave/old/v1.ipynb",)),
        ("gina", "gina.ipynb", target("gina"), (f"renamed gina.ipynb -> {NB}",)),
        ("hank", "hank.zip/a2_mlp_mnist.ipynb", target("hank"), ()),
    ]
    assert problems(report) == [
        (None, "README.txt", "unknown-student"),
        ("carol", "carol/", "several-notebooks"),
        ("erin", "erin/", "no-notebook"),
        ("frank", "frank.zip", "corrupt-zip"),
        ("gina", "gina.ipynb", "invalid-json"),
        ("hank", "hank/", "duplicate"),
    ]
    reasons = {p["kind"]: p["reason"] for p in report["problems"]}
    assert reasons["several-notebooks"] == f"2 notebooks, none named {NB}: carol/x.ipynb, carol/y.ipynb; none imported"
    assert reasons["no-notebook"] == "no .ipynb file (found: erin/readme.txt)"
    assert submitted(course) == {f"{s}/{A}/{NB}": data for s, data in [
        ("alice", nb("alice")), ("bob", nb("bob")), ("dave", nb("dave")), ("gina", b"{not json"),
        ("hank", nb("hank new"))]}
    assert "6 problem(s)" in out and "carol: several-notebooks" in out


def test_wrapper_folder_is_unwrapped_but_a_single_student_folder_is_not(tmp_path, run, course):
    download = tmp_path / "wrapped.zip"
    download.write_bytes(zip_bytes({"submissions/alice/a2_mlp_mnist.ipynb": nb("alice"),
                                    "submissions/bob/work.ipynb": nb("bob")}))
    assert run(download)[0] == 0
    assert submitted(course) == {f"alice/{A}/{NB}": nb("alice"), f"bob/{A}/{NB}": nb("bob")}
    canvas = tmp_path / "canvas.zip"
    canvas.write_bytes(zip_bytes({"a2 submissions/lovelaceada_101_9001_a2_mlp_mnist.ipynb": nb("ada")}))
    assert run(canvas)[0] == 0 and f"lovelaceada/{A}/{NB}" in submitted(course)
    single = write_tree(tmp_path / "single", {"carl/a2_mlp_mnist.ipynb": nb("carl")})
    assert run(single)[0] == 0 and f"carl/{A}/{NB}" in submitted(course)


def test_zip_slip_absolute_paths_and_symlinks_are_refused(tmp_path, run, course):
    download = tmp_path / "evil.zip"
    download.write_bytes(zip_bytes({
        "../../evil.ipynb": nb("evil"),
        "/tmp/abs_evil.ipynb": nb("abs"),
        "alice/../../../evil2.ipynb": nb("evil2"),
        "alice/a2_mlp_mnist.ipynb": nb("alice"),
        "mallory.zip": zip_bytes({"../../../x.ipynb": nb("x"), "a2_mlp_mnist.ipynb": nb("mallory")}),
    }, links={"eve/a2_mlp_mnist.ipynb": "/etc/passwd"}))
    status, report, _ = run(download)
    assert status == 1
    assert problems(report) == [
        (None, "../../evil.ipynb", "unsafe-path"),
        (None, "/tmp/abs_evil.ipynb", "unsafe-path"),
        (None, "alice/../../../evil2.ipynb", "unsafe-path"),
        ("eve", "eve/a2_mlp_mnist.ipynb", "symlink"),
        ("mallory", "mallory.zip/../../../x.ipynb", "unsafe-path"),
    ]
    assert submitted(course) == {f"alice/{A}/{NB}": nb("alice"), f"mallory/{A}/{NB}": nb("mallory")}
    written = {p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.ipynb")}
    assert not any("evil" in p or p.endswith("x.ipynb") for p in written)
    assert not Path("/tmp/abs_evil.ipynb").exists()

    folder = write_tree(tmp_path / "links", {"real/a2_mlp_mnist.ipynb": nb("real")})
    (folder / "trent").mkdir()
    (folder / "trent" / NB).symlink_to(folder / "real" / NB)
    (folder / "uma").symlink_to(folder / "real", target_is_directory=True)
    status, report, _ = run(folder)
    assert status == 1
    assert problems(report) == [(None, "uma", "symlink"), ("trent", f"trent/{NB}", "symlink")]
    assert imported(report) == [("real", "real/a2_mlp_mnist.ipynb", target("real"), ())]


def test_unreadable_and_too_large_files_are_reported(tmp_path, run, course, monkeypatch):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("alice/a2_mlp_mnist.ipynb", nb("alice") * 50)
        zf.writestr("bob/a2_mlp_mnist.ipynb", nb("bob"))
    data = bytearray(buf.getvalue())
    start = data.index(b"alice/a2_mlp_mnist.ipynb") + len("alice/a2_mlp_mnist.ipynb")
    data[start:start + 20] = bytes(20)  # corrupt alice's compressed bytes
    (tmp_path / "dl.zip").write_bytes(bytes(data))
    status, report, _ = run(tmp_path / "dl.zip")
    assert status == 1 and problems(report) == [("alice", "alice/a2_mlp_mnist.ipynb", "unreadable")]
    assert submitted(course) == {f"bob/{A}/{NB}": nb("bob")}

    monkeypatch.setattr("autograder.lifecycle.collect.download.MAX_BYTES", 100)
    write_tree(tmp_path / "big", {"carl/a2_mlp_mnist.ipynb": nb("carl") + b" " * 100, "dora.ipynb": nb("d")})
    status, report, _ = run(tmp_path / "big")
    assert problems(report) == [("carl", f"carl/{NB}", "too-large")]
    assert f"dora/{A}/{NB}" in submitted(course) and "carl" not in {p.split("/")[0] for p in submitted(course)}


def test_safe_student_ids():
    assert safe_id("Zoë O'Brien") == "Zoe_O_Brien"
    assert safe_id("../x") == "x"
    assert safe_id("a/b\\c") == "a_b_c"
    assert safe_id(".bashrc") == "bashrc"
    assert safe_id("a..b") == "a.b"
    assert safe_id("..") is None and safe_id("///") is None
    assert safe_id("jdoe@uni.edu") == "jdoe@uni.edu"


def test_pattern_with_a_dangerous_student_group(tmp_path, run, course):
    download = write_tree(tmp_path / "dl", {"hw2-alice-final.ipynb": nb("alice"), "hw2-..-final.ipynb": nb("dots"),
                                            "hw2-bob-final.ipynb": nb("bob"), "other.ipynb": nb("other")})
    status, report, _ = run(download, "--pattern", r"^hw2-(?P<student>[^-]+)-")
    assert status == 1
    assert problems(report) == [(None, "hw2-..-final.ipynb", "unknown-student"), (None, "other.ipynb", "unknown-student")]
    assert submitted(course) == {f"alice/{A}/{NB}": nb("alice"), f"bob/{A}/{NB}": nb("bob")}


def test_roster_maps_lms_ids_and_reports_the_missing(tmp_path, run, course):
    download = write_tree(tmp_path / "dl", {
        "lovelaceada_101_9001_a2_mlp_mnist.ipynb": nb("ada"),
        "turingalan_102_9002_a2_mlp_mnist.ipynb": nb("alan"),
        "hoppergrace_103_9003_a2_mlp_mnist.ipynb": nb("grace"),
    })
    roster = tmp_path / "roster.csv"
    roster.write_text("\ufeffName,LMS_ID,Student_ID\nAda,101,s001\n,,\nAlan,TuringAlan,s002\n", encoding="utf-8")
    status, report, _ = run(download, "--roster", str(roster))
    assert status == 1
    assert problems(report) == [("hoppergrace", "hoppergrace_103_9003_a2_mlp_mnist.ipynb", "not-in-roster")]
    assert report["problems"][0]["reason"] == "no roster row with lms_id 103 or hoppergrace"
    assert submitted(course) == {f"s001/{A}/{NB}": nb("ada"), f"s002/{A}/{NB}": nb("alan")}


@pytest.mark.parametrize("text, message", [
    ("lms_id,student\n1,a\n", "must name the columns lms_id,student_id"),
    ("lms_id,student_id\n1,../a\n", "is not a safe directory name"),
    ("lms_id,student_id\n1,a\n1,b\n", "lms_id '1' is given two student ids"),
])
def test_bad_roster_is_a_usage_error(tmp_path, run, text, message):
    (tmp_path / "r.csv").write_text(text)
    download = write_tree(tmp_path / "dl", {"alice.ipynb": nb("a")})
    status, report, out = run(download, "--roster", str(tmp_path / "r.csv"))
    assert status == 2 and report is None and message in out


def test_dry_run_writes_nothing(tmp_path, run, course):
    download = write_tree(tmp_path / "dl", {"alice.ipynb": nb("alice"), "bob/a2_mlp_mnist.ipynb": nb("bob")})
    write_tree(course, {target("bob"): nb("bob before")})
    before = tree(course)
    report = collect(A, download, course, dry_run=True, force=True)
    assert tree(course) == before and report.report_path is None
    assert [(r["student"], r["notes"]) for r in report.imported] == [
        ("alice", [f"renamed alice.ipynb -> {NB}"]), ("bob", [mock.ANY])]
    assert re.fullmatch(rf"previous version moved to \.autograder/collect-backup/\d{{8}}-\d{{6}}/bob/{A}/",
                        report.imported[1]["notes"][0])
    status, json_report, out = run(download, "--dry-run")
    assert status == 1 and json_report is None and tree(course) == before
    assert "would import 1 submission(s)" in out and "bob: exists" in out


def test_existing_submission_is_kept_unless_force(tmp_path, run, course):
    download = write_tree(tmp_path / "dl", {"alice/a2_mlp_mnist.ipynb": nb("v1")})
    assert run(download)[0] == 0
    status, report, _ = run(download)  # the same download again: nothing to do, nothing wrong
    assert status == 0 and imported(report) == [("alice", "alice/a2_mlp_mnist.ipynb", target("alice"),
                                                  ("already imported (identical)",))]
    (download / "alice" / NB).write_bytes(nb("v2"))
    status, report, _ = run(download)
    assert status == 1 and problems(report) == [("alice", "alice/a2_mlp_mnist.ipynb", "exists")]
    assert submitted(course) == {f"alice/{A}/{NB}": nb("v1")}
    status, report, _ = run(download, "--force")
    assert status == 0 and submitted(course) == {f"alice/{A}/{NB}": nb("v2")}
    (backup,) = (course / ".autograder" / "collect-backup").glob(f"*/alice/{A}")
    assert tree(backup) == {NB: nb("v1")}
    assert report["imported"][0]["notes"] == [f"previous version moved to {backup.relative_to(course).as_posix()}/"]


def test_usage_errors(tmp_path, run, course):
    assert run(tmp_path / "missing")[0] == 2
    (tmp_path / "broken.zip").write_bytes(b"not a zip at all")
    status, _, out = run(tmp_path / "broken.zip")
    assert status == 2 and "is not a readable zip" in out
    status, _, out = run(tmp_path, "--pattern", "no group")
    assert status == 2 and "(?P<student>" in out
    assert main(["collect", "no_such", str(tmp_path), "--course-dir", str(course)]) == 2
