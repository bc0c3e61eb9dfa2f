"""Time to 97.5% MNIST test accuracy: the reference a2 network against scikit-learn's MLPClassifier.

Both models have one hidden layer of the same size, see the same 55,000 training images scaled to
[0, 1], are trained one epoch at a time, and are evaluated on the 10,000 test images after every
epoch (evaluation time is not counted). Both run in this process with the same BLAS thread count.
The reference network is the solution code of ``solutions/a2_mlp_mnist`` (its answer cells are
executed here), trained with its own ``fit`` one epoch per call.

Prints the time each needs to reach the target and the ratio. Not a test: timings on shared
machines are noisy, so only the ratio measured in one run is meaningful.

Usage::

    python bench/bench_a2_vs_sklearn.py [--hidden 128] [--target 0.975] [--max-epochs 20]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import time
import warnings

import numpy as np

from autograder.data import load_mnist
from autograder.audit.samples import read_generated

ANSWER_CELLS = ("one_in_k_encoding", "softmax", "relu", "net_classifier", "net_helpers")


def reference_namespace() -> dict:
    """Execute the solution's answer cells (and the given helpers) and return their namespace."""
    nb = read_generated("solutions", "a2_mlp_mnist")
    ns = {"np": np}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in ANSWER_CELLS:
            exec(compile(cell.source, f"<a2:{cell.id}>", "exec"), ns)
    return ns


def time_reference(data, hidden, target, max_epochs, batch_size, lr, c):
    ns = reference_namespace()
    X_train, y_train, X_val, y_val, X_test, y_test = data
    net = ns["NetClassifier"]()
    params = ns["init_params"](X_train.shape[1], hidden, 10, seed=0)
    elapsed = 0.0
    for epoch in range(1, max_epochs + 1):
        start = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            net.fit(X_train, y_train, X_val, y_val, params, batch_size=batch_size, lr=lr, c=c, epochs=1,
                    seed=epoch)
        elapsed += time.perf_counter() - start
        params = net.params
        acc = net.score(X_test, y_test)
        print(f"  reference  epoch {epoch:2d}  {elapsed:6.1f} s  test accuracy {acc:.4f}", flush=True)
        if acc >= target:
            return elapsed, epoch, acc
    return None, max_epochs, acc


def time_sklearn(data, hidden, target, max_epochs, batch_size):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier

    X_train, y_train, _, _, X_test, y_test = data
    clf = MLPClassifier(hidden_layer_sizes=(hidden,), batch_size=batch_size, max_iter=1, random_state=0)
    classes = np.arange(10)
    elapsed = 0.0
    for epoch in range(1, max_epochs + 1):
        start = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.partial_fit(X_train, y_train, classes=classes) if epoch == 1 else clf.partial_fit(X_train, y_train)
        elapsed += time.perf_counter() - start
        acc = clf.score(X_test, y_test)
        print(f"  sklearn    epoch {epoch:2d}  {elapsed:6.1f} s  test accuracy {acc:.4f}", flush=True)
        if acc >= target:
            return elapsed, epoch, acc
    return None, max_epochs, acc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--target", type=float, default=0.975)
    parser.add_argument("--max-epochs", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=64, help="reference mini-batch size")
    parser.add_argument("--lr", type=float, default=0.2, help="reference SGD learning rate")
    parser.add_argument("--sklearn-batch-size", default="auto",
                        help="MLPClassifier batch_size (default: its own default, min(200, n))")
    parser.add_argument("--c", type=float, default=1e-5, help="reference weight decay")
    args = parser.parse_args()

    mnist = load_mnist()
    X = mnist.X_train.astype(np.float64) / 255.0
    data = (X[:55000], mnist.y_train[:55000], X[55000:], mnist.y_train[55000:],
            mnist.X_test.astype(np.float64) / 255.0, mnist.y_test)
    threads = os.environ.get("OMP_NUM_THREADS", "unset")
    print(f"MNIST 55,000 train / 10,000 test, hidden={args.hidden}, reference batch={args.batch_size} "
          f"lr={args.lr} c={args.c}, sklearn batch={args.sklearn_batch_size} (adam defaults), "
          f"target test accuracy {args.target}, OMP_NUM_THREADS={threads}")
    ref = time_reference(data, args.hidden, args.target, args.max_epochs, args.batch_size, args.lr, args.c)
    sk_batch = args.sklearn_batch_size if args.sklearn_batch_size == "auto" else int(args.sklearn_batch_size)
    skl = time_sklearn(data, args.hidden, args.target, args.max_epochs, sk_batch)
    print()
    for name, (secs, epochs, acc) in [("reference a2 network (numpy SGD)", ref), ("sklearn MLPClassifier (adam)", skl)]:
        status = f"{secs:.1f} s ({epochs} epochs)" if secs is not None else f"not reached in {epochs} epochs"
        print(f"{name:36s} time to {args.target:.1%}: {status}, final accuracy {acc:.4f}")
    if ref[0] is not None and skl[0] is not None:
        print(f"speed-up (sklearn time / reference time): {skl[0] / ref[0]:.2f}x")
    elif ref[0] is not None:
        print(f"speed-up: sklearn did not reach the target within {args.max_epochs} epochs "
              f"({skl[0] or 'n/a'}); reference needed {ref[0]:.1f} s")


if __name__ == "__main__":
    main()
