"""Data sets of the course: MNIST (``load_mnist``) and scikit-learn's two moons (``load_moons``)."""

from .idx import ChecksumError
from .mnist import MNIST, MNISTNotFoundError, load_mnist
from .moons import load_moons

__all__ = ["MNIST", "ChecksumError", "MNISTNotFoundError", "load_mnist", "load_moons"]
