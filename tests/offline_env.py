"""A fresh virtual environment that sees this environment's dependencies without a network.

The machines here have no internet, so a new environment gets a folder of links to every installed
distribution except this course's own package (and a ``.pth`` file naming that folder); pip then runs with
``--no-index`` and installs the course package itself only from a wheel.
"""

from __future__ import annotations

import re
import site
import subprocess
from pathlib import Path

OWN = re.compile(r"^(autograder|backprop_course.*|__editable__.*|.*\.pth)$")


def link_dependencies(python: Path, deps: Path) -> None:
    """Make this environment's distributions (not the course's) importable by the venv of ``python``."""
    deps.mkdir(exist_ok=True)
    for folder in site.getsitepackages():
        for entry in Path(folder).iterdir():
            if not OWN.match(entry.name) and not (deps / entry.name).exists():
                (deps / entry.name).symlink_to(entry)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "course-deps.pth").write_text(f"{deps}\n")
