"""How `autograder similarity` grows with the class: wall time for N submissions of a2 (solution, mutants and
correct variants of the corpus, repeated under new student ids), every pair compared.

    python bench/bench_similarity.py [--sizes 50 100 200 500]

Not a test: prints one line per size and the fitted growth (seconds ~ c * N^2 for the pair loop).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

from autograder.audit.samples import sample_submissions, write_submission  # noqa: E402
from autograder.course import new_course_dir  # noqa: E402
from autograder.course.release import generate  # noqa: E402
from autograder.lifecycle.similarity import find_similar  # noqa: E402

ASSIGNMENT = "a2_mlp_mnist"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200])
    args = parser.parse_args()
    samples = list(sample_submissions(ASSIGNMENT).values())
    print(f"{len(samples)} distinct notebooks of {ASSIGNMENT}, repeated to each size")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            course = new_course_dir(Path(tmp) / "course", [ASSIGNMENT])
            generate(ASSIGNMENT, source_root=course, out_root=course)
            for i in range(n):
                write_submission(course, f"s{i:04d}", ASSIGNMENT, samples[i % len(samples)])
            start = time.perf_counter()
            pairs, _, _ = find_similar(course, ASSIGNMENT, Path(tmp) / "out", progress=False)
            took = time.perf_counter() - start
        print(f"N={n:4d}  pairs compared={n * (n - 1) // 2:7d}  listed={len(pairs):7d}  {took:7.1f} s  "
              f"({took / max(1, n * (n - 1) // 2) * 1e6:.0f} us per pair)")


if __name__ == "__main__":
    main()
