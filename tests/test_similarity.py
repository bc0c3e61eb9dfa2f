"""``autograder similarity`` on a synthetic class: a copy with renamed variables and reordered functions
ranks above every independent pair, and the release's own code (stubs, docstrings) alone does not rank."""

from __future__ import annotations

import csv

import nbformat
import pytest

from autograder.cli import main
from autograder.course import CourseError
from autograder.lifecycle.similarity import answer_code, find_similar
from tiny_course import _cell, course_with, submit_answers

A = "sim"
HEADER = '''def {name}(X):
    """{doc}

    Parameters
    ----------
    X : ndarray of shape (n, d)
        The inputs, one example per row, float64; not modified.

    Returns
    -------
    out : ndarray
        A new array; see the notebook's prose for what must hold.
    """
'''
DOCS = {"normalize": "Scale every column of X to zero mean and unit variance.",
        "softmax": "Row-wise softmax of X, shifted by each row's maximum for stability.",
        "pairwise": "Squared Euclidean distances between all rows of X."}


def source_notebook():
    nb = nbformat.v4.new_notebook()
    nb.metadata = {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}}
    nb.cells = [_cell("markdown", "intro", "# Similarity")]
    for name, doc in DOCS.items():
        nb.cells.append(_cell("code", name, "import numpy as np\n\n" + HEADER.format(name=name, doc=doc)
                              + "    ### BEGIN SOLUTION\n    return X\n    ### END SOLUTION", solution=True))
    return nb


def answers(bodies):
    return {name: "import numpy as np\n\n" + HEADER.format(name=name, doc=DOCS[name]) + body
            for name, body in bodies.items()}


# Five students who wrote their own code (different idioms, as real hand-ins differ).
INDEPENDENT = {
    "ana": {"normalize": "    mu = X.mean(axis=0)\n    sd = X.std(axis=0)\n    sd[sd == 0] = 1.0\n    return (X - mu) / sd\n",
            "softmax": "    Z = X - X.max(axis=1, keepdims=True)\n    E = np.exp(Z)\n    return E / E.sum(axis=1, keepdims=True)\n",
            "pairwise": "    sq = (X ** 2).sum(axis=1)\n    D = sq[:, None] + sq[None, :] - 2 * X @ X.T\n    return np.maximum(D, 0)\n"},
    "ben": {"normalize": "    out = np.empty_like(X)\n    for j in range(X.shape[1]):\n        col = X[:, j]\n"
                         "        s = col.std() or 1.0\n        out[:, j] = (col - col.mean()) / s\n    return out\n",
            "softmax": "    rows = []\n    for row in X:\n        e = np.exp(row - np.max(row))\n        rows.append(e / np.sum(e))\n"
                       "    return np.array(rows)\n",
            "pairwise": "    n = len(X)\n    D = np.zeros((n, n))\n    for i in range(n):\n        for j in range(n):\n"
                        "            D[i, j] = np.sum((X[i] - X[j]) ** 2)\n    return D\n"},
    "cho": {"normalize": "    from scipy import stats\n    return np.nan_to_num(stats.zscore(X, axis=0))\n",
            "softmax": "    from scipy.special import logsumexp\n    return np.exp(X - logsumexp(X, axis=1, keepdims=True))\n",
            "pairwise": "    diff = X[:, np.newaxis, :] - X[np.newaxis, :, :]\n    return np.einsum('ijk,ijk->ij', diff, diff)\n"},
    "dev": {"normalize": "    centred = X - np.mean(X, 0)\n    scale = np.sqrt(np.mean(centred * centred, 0))\n"
                         "    return centred / np.where(scale > 0, scale, 1)\n",
            "softmax": "    shifted = np.subtract(X, np.amax(X, axis=-1)[:, None])\n    num = np.exp(shifted)\n"
                       "    den = np.sum(num, axis=-1)[:, None]\n    return num / den\n",
            "pairwise": "    from scipy.spatial.distance import cdist\n    return cdist(X, X, 'sqeuclidean')\n"},
    "eli": {"normalize": "    result = X.astype(float).copy()\n    result -= result.mean(axis=0, keepdims=True)\n"
                         "    norms = result.std(axis=0, keepdims=True)\n    norms[norms == 0] = 1\n    result /= norms\n"
                         "    return result\n",
            "softmax": "    m = np.max(X, axis=1).reshape(-1, 1)\n    p = np.exp(X - m)\n    p /= p.sum(axis=1).reshape(-1, 1)\n"
                       "    return p\n",
            "pairwise": "    G = X.dot(X.T)\n    d = np.diag(G)\n    return np.clip(d.reshape(-1, 1) - 2 * G + d.reshape(1, -1), 0, None)\n"},
}
# ana's code, variables renamed and the functions in another order (cells hold each other's code)
COPY = {"normalize": "    centre = X.mean(axis=0)\n    spread = X.std(axis=0)\n    spread[spread == 0] = 1.0\n"
                     "    return (X - centre) / spread\n",
        "softmax": "    A = X - X.max(axis=1, keepdims=True)\n    B = np.exp(A)\n    return B / B.sum(axis=1, keepdims=True)\n",
        "pairwise": "    norms = (X ** 2).sum(axis=1)\n    dist = norms[:, None] + norms[None, :] - 2 * X @ X.T\n"
                    "    return np.maximum(dist, 0)\n"}


@pytest.fixture
def course(tmp_path):
    course = course_with(tmp_path, A, source_notebook())
    for student, bodies in INDEPENDENT.items():
        submit_answers(course, A, student, answers(bodies))
    copied = answers(COPY)
    # reorder: the copier moved every function one cell down (pairwise first)
    submit_answers(course, A, "zed", {"normalize": copied["pairwise"], "softmax": copied["normalize"],
                                      "pairwise": copied["softmax"]})
    for blank in ("blank1", "blank2"):  # the untouched release, twice: nothing but the given code
        submit_answers(course, A, blank, {})
    return course


def test_a_disguised_copy_ranks_above_every_independent_pair(course, tmp_path):
    pairs, html, unreadable = find_similar(course, A, tmp_path / "out", threshold=0.0, progress=False)
    assert not unreadable
    assert {pairs[0].student_a, pairs[0].student_b} == {"ana", "zed"}, pairs[:3]
    others = [p.similarity for p in pairs[1:]]
    assert pairs[0].similarity > 0.5 and all(s < pairs[0].similarity for s in others)
    # boilerplate alone (the blank submissions' stubs and docstrings, in everyone's notebook) never ranks
    assert not [p for p in pairs if "blank1" in (p.student_a, p.student_b) or "blank2" in (p.student_a, p.student_b)]
    text = html.read_text()
    assert "ana" in text and "zed" in text
    rows = list(csv.DictReader(open(tmp_path / "out" / f"similarity-{A}.csv")))
    assert {rows[0]["student_a"], rows[0]["student_b"]} == {"ana", "zed"} and len(rows) == len(pairs)


def test_the_command_line_reports_pairs_and_refuses_bad_input(course, tmp_path, capsys):
    assert main(["similarity", A, "--course-dir", str(course), "-o", str(tmp_path / "r"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "ana" in out.splitlines()[1] and "zed" in out.splitlines()[1]
    assert (tmp_path / "r" / f"similarity-{A}.html").is_file()
    assert main(["similarity", A, "--course-dir", str(course), "--threshold", "2"]) == 2
    assert "between 0 and 1" in capsys.readouterr().err
    with pytest.raises(CourseError, match="at least two submissions"):
        find_similar(_only_one(course), A, tmp_path / "x", progress=False)


def _only_one(course):
    import shutil

    for student in list((course / "submitted").iterdir())[1:]:
        shutil.rmtree(student)
    return course


def test_answer_code_takes_only_answer_cells():
    nb = source_notebook()
    nb.cells.append(_cell("code", "test_x", "assert normalize is not None", points=1))
    code = answer_code(nb)
    assert "def normalize" in code and "assert normalize" not in code
    assert answer_code(nb, cells={"softmax"}).count("# ---") == 1
