"""The command's processes skip jsonschema's unused optional ``iri`` checker; a kernel's imports stay its own."""

from __future__ import annotations

import subprocess
import sys

import pytest

from autograder import import_costs

PROBE = """
import sys
{setup}
import nbformat
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
nbformat.validate(nb)  # jsonschema still validates notebooks
print(repr(sys.modules.get("rfc3987_syntax", "never imported")))
"""


def _probe(setup: str) -> str:
    proc = subprocess.run([sys.executable, "-c", PROBE.format(setup=setup)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout.strip().splitlines()[-1]


def test_the_command_line_marks_rfc3987_syntax_absent_before_nbformat_is_imported():
    assert _probe("import autograder.cli") == "None"


@pytest.mark.parametrize("module", ["autograder.checks", "autograder.engine.kernel_launcher"])
def test_what_a_kernel_imports_leaves_the_optional_import_alone(module):
    # the kernel imports the check library and the launcher, never the command line
    assert _probe(f"import {module}") != "None"


def test_skipping_is_idempotent_and_never_undoes_an_import(monkeypatch):
    monkeypatch.delitem(sys.modules, "rfc3987_syntax", raising=False)
    assert import_costs.skip_unused_optional_imports() == ["rfc3987_syntax"]
    assert sys.modules["rfc3987_syntax"] is None
    assert import_costs.skip_unused_optional_imports() == []
    with pytest.raises(ImportError):
        import rfc3987_syntax  # noqa: F401
    already = object()
    monkeypatch.setitem(sys.modules, "rfc3987_syntax", already)
    assert import_costs.skip_unused_optional_imports() == []
    assert sys.modules["rfc3987_syntax"] is already
