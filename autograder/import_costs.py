"""Start-up cost of the command's processes: an optional import that nothing here uses is skipped.

``jsonschema`` (which ``nbformat`` and nbgrader import) registers an ``iri`` format checker when the
optional ``rfc3987_syntax`` is installed (``jupyter_events`` pulls it in), and that package compiles 39
Lark grammars when it is imported: 0.95 s of the 1.10 s that ``import nbformat`` took on the course's
2-core machine, in every process of a grading run (the coordinator, each Dask worker, each import
process). No schema the course validates (nbformat's notebook schemas, nbgrader's cell metadata) uses
the ``iri`` formats, and nothing validates with a format checker, so the command's own processes mark
that one module as absent before anything imports ``jsonschema``. jsonschema then simply leaves the two
``iri`` checkers out, as it does wherever ``rfc3987_syntax`` is not installed.

Never called in a student's kernel: the kernel's imports are the student's business.
"""

from __future__ import annotations

import sys

#: Optional modules whose only user in our processes is a jsonschema format checker no schema here uses.
UNUSED_OPTIONAL = ("rfc3987_syntax",)


def skip_unused_optional_imports() -> list[str]:
    """Mark `UNUSED_OPTIONAL` as absent in this process unless something already imported it.

    Returns
    -------
    skipped : list of str
        The modules marked absent now (empty when called again, or when one was imported already).
    """
    skipped = []
    for name in UNUSED_OPTIONAL:
        if name not in sys.modules:
            sys.modules[name] = None  # ``import`` raises ImportError, which jsonschema expects of it
            skipped.append(name)
    return skipped
