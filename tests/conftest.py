"""Shared fixtures: the repository's assignments and the offline MNIST copy."""

from __future__ import annotations

import os

from autograder.course import REPO_ROOT, list_assignments

ASSIGNMENTS = list_assignments(REPO_ROOT)
SHARED_MNIST = REPO_ROOT.parent / "shared" / "data" / "mnist"


def pytest_configure(config):
    # Notebooks read MNIST from the offline copy beside the checkout when MNIST_DIR is not set.
    if "MNIST_DIR" not in os.environ and SHARED_MNIST.is_dir():
        os.environ["MNIST_DIR"] = str(SHARED_MNIST)
