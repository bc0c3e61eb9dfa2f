"""Every hidden check maps to a sentence the student reads, and every stated requirement to a check and a
mutant that proves the check fails without it.

Each assignment keeps the map in ``tests/mutants/<assignment>/REQUIREMENTS.md``, three markdown tables:

* ``## Hidden checks``: ``| test cell | checks | stated in the notebook | mutants |``; every graded test
  cell of the source notebook has a row, and the third column quotes (in double quotes) the sentence of
  the *released* notebook that states what the check enforces;
* ``## Stated requirements``: ``| TODO | requirement | test cell | mutants |``; the requirement is quoted
  from the released notebook, and each mutant named must lose points on one of the test cells named;
* ``## Correct variants``: ``| variant | cell | how it differs |``; every file of
  ``tests/correct_variants/<assignment>/`` has a row (and the audit grades them all to full marks).

A ``|`` inside a table cell (``$|x|$``) is written ``\\|``. These tests read files only; the audit
(``test_audit.py``) is what grades the mutants and variants.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from autograder.course import REPO_ROOT
from autograder.audit.mutants import CORRECT_VARIANTS_DIR, MUTANTS_DIR, load_correct_variants, load_mutants
from autograder.audit.samples import notebook_name, read_generated
from conftest import ASSIGNMENTS

NAME = re.compile(r"`([A-Za-z0-9_]+)`")
QUOTE = re.compile(r'"([^"]+)"')


def _flat(text: str) -> str:
    return " ".join(text.split())


def read_tables(path: Path) -> dict[str, list[list[str]]]:
    """The rows (lists of cell texts, header and rule dropped) of each ``## `` section's table."""
    tables: dict[str, list[list[str]]] = {}
    section = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            tables[section] = []
        elif section and line.startswith("|"):
            cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
            if set("".join(cells)) <= set("-: "):
                continue
            tables[section].append(cells)
    for rows in tables.values():
        del rows[:1]  # the header
    return tables


def _cells(assignment):
    nb = nbformat.read(REPO_ROOT / "source" / assignment / notebook_name(assignment, REPO_ROOT), as_version=4)
    tests, answers = set(), set()
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
            tests.add(meta["grade_id"])
        elif meta.get("solution"):
            answers.add(meta["grade_id"])
    return tests, answers


@pytest.fixture(params=ASSIGNMENTS)
def course_map(request):
    assignment = request.param
    path = MUTANTS_DIR / assignment / "REQUIREMENTS.md"
    assert path.is_file(), f"{assignment} has no requirement map at {path.relative_to(REPO_ROOT)}"
    released = _flat("\n".join(c.source for c in read_generated("release", assignment).cells))
    return assignment, read_tables(path), released


def test_every_test_cell_is_stated_in_the_released_notebook(course_map):
    assignment, tables, released = course_map
    tests, _ = _cells(assignment)
    mutants = {m.name for m in load_mutants(assignment)}
    rows = tables.get("Hidden checks")
    assert rows, f"{assignment}: REQUIREMENTS.md has no '## Hidden checks' table"
    mapped = set()
    for row in rows:
        assert len(row) == 4, f"{assignment}: hidden-check row needs 4 columns: {row}"
        cell = NAME.findall(row[0])
        assert cell and set(cell) <= tests, f"{assignment}: {row[0]} is not a graded test cell"
        mapped.update(cell)
        quotes = QUOTE.findall(row[2])
        assert quotes, f"{assignment}: no quoted sentence states what {row[0]} checks"
        for quote in quotes:
            assert _flat(quote) in released, f"{assignment}: {quote!r} ({row[0]}) is not in the released notebook"
        assert set(NAME.findall(row[3])) <= mutants, f"{assignment}: unknown mutant in {row[3]}"
    assert tests <= mapped, f"{assignment}: test cells without a row: {sorted(tests - mapped)}"


def test_every_stated_requirement_has_a_check_and_a_mutant(course_map):
    assignment, tables, released = course_map
    tests, answers = _cells(assignment)
    mutants = {m.name: m for m in load_mutants(assignment)}
    rows = tables.get("Stated requirements")
    assert rows, f"{assignment}: REQUIREMENTS.md has no '## Stated requirements' table"
    for row in rows:
        assert len(row) == 4, f"{assignment}: stated-requirement row needs 4 columns: {row}"
        todo, checks, killers = NAME.findall(row[0]), set(NAME.findall(row[2])), NAME.findall(row[3])
        assert todo and set(todo) <= answers, f"{assignment}: {row[0]} is not an answer cell"
        quotes = QUOTE.findall(row[1])
        assert quotes, f"{assignment}: requirement of {row[0]} is not quoted from the notebook"
        for quote in quotes:
            assert _flat(quote) in released, f"{assignment}: {quote!r} ({row[0]}) is not in the released notebook"
        assert checks and checks <= tests, f"{assignment}: {row[1]} needs graded test cells, got {row[2]}"
        assert killers, f"{assignment}: no mutant proves the check of {row[1]}"
        for name in killers:
            assert name in mutants, f"{assignment}: unknown mutant {name}"
            assert mutants[name].loses & checks, f"{assignment}: mutant {name} loses none of {sorted(checks)}"


def test_every_mutant_and_correct_variant_is_in_the_map(course_map):
    assignment, tables, _ = course_map
    named = {n for rows in tables.values() for row in rows for n in NAME.findall(" ".join(row))}
    unmapped = [m.name for m in load_mutants(assignment) if m.name not in named]
    assert not unmapped, f"{assignment}: mutants missing from REQUIREMENTS.md: {unmapped}"
    variants = {v.name for v in load_correct_variants(assignment)}
    assert len(variants) >= 5, f"{assignment} needs at least 5 correct variants in {CORRECT_VARIANTS_DIR.name}/"
    listed = {NAME.findall(row[0])[0] for row in tables.get("Correct variants", []) if NAME.findall(row[0])}
    assert variants == listed, f"{assignment}: correct variants and their table differ: {sorted(variants ^ listed)}"


def test_the_map_parser_reads_quotes_names_and_skips_rules(tmp_path):
    path = tmp_path / "REQUIREMENTS.md"
    path.write_text('# x\n\n## Hidden checks\n| test cell | checks | stated | mutants |\n|---|---|---|---|\n'
                    '| `test_a` | a is 1 | "set a to 1 for $\\|x\\| > 1$" | `a_is_2`, `a_is_0` |\n\n## Correct variants\n'
                    '| variant | cell | how |\n| --- | --- | --- |\n| `one` | `answer_a` | 2 - 1 |\n')
    tables = read_tables(path)
    assert tables["Hidden checks"] == [["`test_a`", "a is 1", '"set a to 1 for $|x| > 1$"', "`a_is_2`, `a_is_0`"]]
    assert NAME.findall(tables["Hidden checks"][0][3]) == ["a_is_2", "a_is_0"]
    assert QUOTE.findall(tables["Hidden checks"][0][2]) == ["set a to 1 for $|x| > 1$"]
    assert [r[0] for r in tables["Correct variants"]] == ["`one`"]
