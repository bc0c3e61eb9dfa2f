"""A small assignment for the exploit corpus (``tests/adversarial/``): ``double(x)`` and ``b = 2``.

``test_double`` (2 points) calls the check library like the course's real test cells, with a public
part and a hidden part; ``test_b`` (1 point) is a plain hidden assert, so a trick in ``double``'s
answer cell that breaks the whole notebook shows up there too.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from tiny_course import _cell, course_with, submit_answers

ADV = "adv"
CORPUS = Path(__file__).parent / "adversarial"

SETUP = "import numpy as np\nfrom autograder import checks"
ANSWER = "import numpy as np\n\ndef double(x):\n    return 2.0 * np.asarray(x, dtype=float)"
TEST_DOUBLE = """\
out = checks.check_array(double(np.array([1.0, 2.0])), "double(x)", shape=(2,), where="double()")
### BEGIN HIDDEN TESTS
from autograder import checks as _ck
import numpy as _np
_x = _np.array([0.5, -3.0, 7.25])
_expected = 2.0 * _x
_ck.check_close(_ck.check_array(double(_x.copy()), "double(x)", shape=(3,), where="double()"), _expected,
                "double(x)", where="double()")
assert _ck.check_array(double(_x), "double(x)").dtype == _np.float64
### END HIDDEN TESTS"""


def adv_source() -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    nb.cells = [
        _cell("code", "setup", SETUP),
        _cell("code", "double", "### BEGIN SOLUTION\n" + ANSWER + "\n### END SOLUTION", solution=True),
        _cell("code", "test_double", TEST_DOUBLE, points=2),
        _cell("code", "answer_b", "### BEGIN SOLUTION\nb = 2\n### END SOLUTION", solution=True),
        _cell("code", "test_b", "### BEGIN HIDDEN TESTS\nassert b == 2\n### END HIDDEN TESTS", points=1),
    ]
    return nb


def adv_course(root: Path) -> Path:
    """A course directory under ``root`` with the assignment generated and in its gradebook."""
    return course_with(root, ADV, adv_source())


def adv_submission(course: Path, student: str, double_source: str = ANSWER) -> None:
    """The released notebook with both answers filled in, ``double``'s cell replaced by ``double_source``."""
    submit_answers(course, ADV, student, {"double": double_source, "answer_b": "b = 2"})


@dataclass(frozen=True)
class Exploit:
    """One file of the corpus."""

    name: str
    description: str
    source: str
    expect: dict
    reason: str = ""
    limits: dict = field(default_factory=dict)
    fools_in_kernel: bool = False    #: the trick works when the tests run in the student's kernel


def load_exploits(folder: Path = CORPUS) -> list[Exploit]:
    """Every exploit file of the corpus, sorted by name (literal constants only, never executed)."""
    out = []
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        values = {n.targets[0].id: ast.literal_eval(n.value) for n in tree.body
                  if isinstance(n, ast.Assign) and isinstance(n.targets[0], ast.Name)}
        out.append(Exploit(path.stem, ast.get_docstring(tree) or "", values["SOURCE"], values["EXPECT"],
                           values.get("REASON", ""), values.get("LIMITS", {}), values.get("FOOLS_IN_KERNEL", False)))
    return out
