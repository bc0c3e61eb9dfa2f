"""Running instructor code (test cells and given cells) in the judge's namespace.

Test cells are ordinary notebook Python, so they are first passed through IPython's input
transformers (``%matplotlib inline`` becomes a call of ``get_ipython()``, which in the judge is a stub
that ignores magics: the judge never shows figures). The code is compiled under a name that is not a
file, so a failure's traceback quotes no line of the test. A cell that ends with an expression gives
an ``execute_result`` as in IPython (nbgrader's partial credit reads it). A grading worker runs the same
test cells for every submission, so each distinct source is transformed and compiled once per process
(code objects are immutable: running one again is running the same source again).
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import warnings


class _MagicSink:
    """``get_ipython()`` in the judge: line and cell magics and shell escapes do nothing."""

    def run_line_magic(self, *args, **kwargs):
        return None

    def run_cell_magic(self, *args, **kwargs):
        return None

    def system(self, *args, **kwargs):
        return None

    getoutput = system


_SINK = _MagicSink()


def get_ipython():
    """The judge's stand-in for IPython's ``get_ipython`` (see `_MagicSink`)."""
    return _SINK


def to_python(source: str) -> str:
    """Cell source with IPython syntax (magics, ``!`` escapes) turned into plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager

    return TransformerManager().transform_cell(source)


class _Writer(io.TextIOBase):
    """A text stream that hands every write to ``emit(text)``."""

    def __init__(self, emit):
        self.emit = emit

    def writable(self):
        return True

    def write(self, text):
        if text:
            self.emit(str(text))
        return len(text)


def run_code(source: str, ns: dict, name: str, emit=None):
    """Execute one cell's source in ``ns``.

    Parameters
    ----------
    source : str
    ns : dict
        The namespace (a `JudgeNamespace`).
    name : str
        Used as the code's file name (never a real file).
    emit : callable or None
        ``emit(text)`` for what the code prints (stdout, stderr and warnings alike); None: dropped.

    Returns
    -------
    value : object
        The value of a final expression (None when there is none).

    Raises
    ------
    BaseException
        Whatever the code raised.
    """
    code, last = compiled(source, name)
    sink = _Writer(emit or (lambda text: None))
    ns.setdefault("get_ipython", get_ipython)
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = lambda message, category, filename, lineno, file=None, line=None: \
            sink.write(f"{category.__name__}: {message}\n")
        exec(code, ns)  # noqa: S102 - instructor code, in the judge
        if last is not None:
            return eval(last, ns)  # noqa: S307
    return None


@functools.lru_cache(maxsize=512)
def compiled(source: str, name: str):
    """``(code, last)`` of one cell: its statements, and its final expression (None when it has none).

    Parameters
    ----------
    source : str
        Cell source (IPython syntax allowed).
    name : str
        The code's file name.

    Returns
    -------
    code : code object
        To ``exec``: every statement but a final expression.
    last : code object or None
        To ``eval`` after ``code``: the final expression.

    Raises
    ------
    SyntaxError
        The source is not Python (not cached: raised again on every call).
    """
    tree = ast.parse(to_python(source), filename=name)
    last = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = compile(ast.Expression(tree.body.pop().value), name, "eval")
    return compile(tree, name, "exec"), last
