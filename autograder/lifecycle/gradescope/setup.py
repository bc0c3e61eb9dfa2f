"""The data step of ``setup.sh``: fetch (or find) what the assignment's notebook loads, checked by checksum.

An assignment whose source calls ``load_mnist`` gets MNIST into the package's cache here, at image build
time: from ``MNIST_DIR`` when it is set, otherwise from the loader's public mirrors, every file checked
against its published checksum. Grading then runs with ``BACKPROP_COURSE_OFFLINE=1``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def prepare(root: Path) -> str:
    """Make the data the assignment needs available; returns what was done, in words."""
    from ...engine.fitness import needs_mnist, needs_moons
    from ...engine.jobs import read_tree
    from . import SPEC_NAME

    spec = json.loads((root / "source" / SPEC_NAME).read_text(encoding="utf-8"))
    source = read_tree(root / "source" / "course" / "source" / spec["assignment"])
    done = []
    if needs_moons(source):
        from ...data import load_moons

        load_moons()  # made once here and cached, so that the graded kernel needs no scikit-learn import
        done.append("the moons split is cached")
    if needs_mnist(source):
        from ...data import load_mnist

        load_mnist()  # MNIST_DIR, the cache, or the mirrors; raises with the loader's message when none works
        done.append("MNIST is in place and matches its checksums")
    return "; ".join(done) or f"{spec['assignment']} loads no data set: nothing to fetch"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, required=True, help="the autograder root (/autograder on Gradescope)")
    args = parser.parse_args(argv)
    try:
        print(prepare(args.root.resolve()))
    except Exception as exc:  # noqa: BLE001 - setup.sh must fail loudly with the reason
        print(f"setup: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
