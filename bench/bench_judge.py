"""What the judge costs: a small call's round trip, a2's training set to a student's ``fit`` and back, and
the extra time per graded notebook against the same notebooks graded with the tests in the kernel.

    python bench/bench_judge.py [--calls 2000] [--notebooks 6]

Calls go on the judge's own line to the kernel (`KernelLink`'s fast path); the same calls through
ipykernel's shell dispatch, and ipykernel's own kernel_info request, are measured beside them.

Targets (issue "The judge"): round trip of a small call at most 1 ms (median); 55,000 x 784 float64
to ``fit`` and back in under 1 s; at most 0.3 s extra per notebook. Figures, not a timed test: the
machine is shared and noisy, so both sides of each ratio are measured in the same run. BLAS threads are
pinned to 1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import numpy as np  # noqa: E402

STUDENT = """
import numpy as np
def small(x):
    return x + 1
class Net:
    def fit(self, X, y, X_val, y_val, params):
        self.seen = (X.shape, float(X[0, 0]))
        return {"train_loss": [0.5]}
"""


def kernel_figures(calls: int) -> dict:
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager

    from autograder.engine.job_dir import write_kernelspecs
    from autograder.judge.link import KernelLink
    from autograder.judge.remote import Session

    with tempfile.TemporaryDirectory() as tmp:
        write_kernelspecs(Path(tmp), [("bench", "bench")], None, judge=True)
        km = KernelManager(kernel_name="bench", kernel_spec_manager=KernelSpecManager(kernel_dirs=[f"{tmp}/kernels"]))
        km.start_kernel(cwd=tmp)
        kc = km.blocking_client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)
        kc.execute_interactive(STUDENT, timeout=60)
        t0 = time.perf_counter()
        link = KernelLink(km)
        connect_s = time.perf_counter() - t0
        s = Session(link, lambda: 60)
        small = s.lookup("small")
        times = []
        for i in range(calls):
            t = time.perf_counter()
            small(float(i))
            times.append(time.perf_counter() - t)
        lookups = []
        for _ in range(200):
            t = time.perf_counter()
            s.lookup("small")
            lookups.append(time.perf_counter() - t)
        link.pause()  # the kernel's main thread back to the shell channel
        shell_link = KernelLink(km, fast=False)  # the same calls through ipykernel's shell dispatch
        shell_small = Session(shell_link, lambda: 60).lookup("small")
        shell_times = []
        for i in range(min(calls, 500)):
            t = time.perf_counter()
            shell_small(float(i))
            shell_times.append(time.perf_counter() - t)
        shell_link.close()
        infos = []  # the peer: ipykernel's own cheapest request, over the same sockets
        for _ in range(300):
            t = time.perf_counter()
            link._wait(link.kc.kernel_info(), "kernel_info_reply", 10)
            infos.append(time.perf_counter() - t)
        rng = np.random.default_rng(0)
        X = rng.random((55000, 784))
        y = rng.integers(0, 10, 55000)
        Xv = rng.random((5000, 784))
        params = {"W1": rng.normal(size=(784, 128)), "b1": np.zeros((1, 128))}
        net = s.lookup("Net")()
        fit = []
        for _ in range(3):
            t = time.perf_counter()
            net.fit(X, y, Xv, y[:5000], params)
            fit.append(time.perf_counter() - t)
        link.close()
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return {"connect_s": connect_s, "call_median_ms": 1000 * statistics.median(times),
            "call_p90_ms": 1000 * sorted(times)[int(0.9 * len(times))],
            "lookup_median_ms": 1000 * statistics.median(lookups), "fit_55000x784_s": min(fit),
            "fit_first_s": fit[0],
            "kernel_info_median_ms": 1000 * statistics.median(infos),
            "shell_call_median_ms": 1000 * statistics.median(shell_times)}


def notebook_figures(count: int, assignments=("a4_losses_and_stability", "a3_mlp_moons")) -> dict:
    """Grade the same a4 / a3 notebooks with the judge and with the tests in the kernel (both on the engine)."""
    import warnings

    warnings.filterwarnings("ignore", message="Object of type")
    from autograder.course import new_course_dir
    from autograder.engine.coordinator import grade_parallel
    from autograder.engine.jobs import Limits
    from autograder.course.release import generate
    from autograder.audit.samples import sample_submissions, write_submission

    out = {}
    for assignment in assignments:
        with tempfile.TemporaryDirectory() as tmp:
            course = new_course_dir(Path(tmp) / "course", [assignment])
            generate(assignment, source_root=course, out_root=course, gradebook=course / "gradebook.db")
            subs = sample_submissions(assignment, root=course)
            names = list(subs)[:count]
            for name in names:
                write_submission(course, name, assignment, subs[name])
            walls = {}
            for mode, judge in (("in_kernel", False), ("judge", True), ("in_kernel_2", False), ("judge_2", True)):
                t = time.perf_counter()
                grade_parallel(course, assignment, students=names, workers=1, force=True,
                               limits=Limits(judge=judge), progress=False)
                walls[mode] = time.perf_counter() - t
            judge = min(walls["judge"], walls["judge_2"])
            kernel = min(walls["in_kernel"], walls["in_kernel_2"])
            figures = [rec["judge"] for rec in _log_records(course)
                       if isinstance(rec.get("judge"), dict) and rec["judge"].get("requests")]
            out[assignment] = {"notebooks": len(names), "judge_s": judge, "in_kernel_s": kernel,
                               "extra_per_notebook_s": (judge - kernel) / len(names),
                               "requests_median": statistics.median([f["requests"] for f in figures] or [0]),
                               "round_trips_s_median": statistics.median([f["round_trip_s"] for f in figures] or [0])}
    return out


def _log_records(course: Path) -> list:
    import json

    from autograder.engine.ledger import LOG_NAME, STATE_DIR

    path = course / STATE_DIR / LOG_NAME
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()] if path.exists() else []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--notebooks", type=int, default=6)
    parser.add_argument("--skip-notebooks", action="store_true")
    parser.add_argument("--assignments", nargs="+", default=["a4_losses_and_stability", "a3_mlp_moons"])
    args = parser.parse_args(argv)
    k = kernel_figures(args.calls)
    print(f"link set-up: {k['connect_s'] * 1000:.1f} ms")
    print(f"small call round trip: median {k['call_median_ms']:.3f} ms, p90 {k['call_p90_ms']:.3f} ms "
          f"(target <= 1 ms); name lookup median {k['lookup_median_ms']:.3f} ms")
    print(f"peer: ipykernel's kernel_info request on the shell channel, median {k['kernel_info_median_ms']:.3f} ms "
          f"(a judge call costs {k['call_median_ms'] / k['kernel_info_median_ms']:.2f}x the kernel's own cheapest "
          f"round trip); the same call through ipykernel's shell dispatch instead of the judge's line: "
          f"{k['shell_call_median_ms']:.3f} ms")
    print(f"fit(55000 x 784 float64, ...) to the kernel and back: {k['fit_55000x784_s']:.3f} s (target < 1 s); "
          f"the first in this kernel (a graded notebook's only one): {k['fit_first_s']:.3f} s")
    if not args.skip_notebooks:
        for assignment, f in notebook_figures(args.notebooks, args.assignments).items():
            print(f"{assignment}: {f['notebooks']} notebooks, judge {f['judge_s']:.1f} s, tests in the kernel "
                  f"{f['in_kernel_s']:.1f} s: {f['extra_per_notebook_s']:+.2f} s per notebook (target <= 0.3 s); "
                  f"per notebook (median) {f['requests_median']:.0f} requests to the kernel taking "
                  f"{f['round_trips_s_median']:.2f} s in all (the judge's whole cost is at most that)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
