"""Standard training sets, built where the student's code runs, for hidden tests that train a model.

A hidden accuracy test trains the student's model on MNIST with fixed settings and then decides
from the trained parameters, with its own forward pass on its own test set. Under the judge
(``autograder.judge``) the arrays such a test builds itself must travel to the kernel: about 380 MB
of float64 per notebook, which costs about a second in the wire, its decode and the copy-back
comparison, after a second conversion of the same pixels in the judge. Nothing is gained by it:

* the training data is no secret (the notebook's own given cell loads the same files), and
* the student's ``fit`` is the student's code, free to train on whatever it likes whatever it is
  handed, so what the kernel receives as training data never decides a grade; the test set and the
  forward pass that do stay in the test.

So `with_training_data` calls the student's function where it runs (in the kernel under the judge,
built there like the stand-ins of `autograder.checks.spy`), on a named recipe of `RECIPES`. The
arrays are exactly those the tests used to build (the same conversions in the same order). Plain
nbgrader (tests in the kernel) calls the same code directly.
"""

from __future__ import annotations

import warnings

import numpy as np

#: Training images of MNIST's standard split; the remaining 5,000 training images are the validation set.
TRAIN_ROWS = 55_000


def _mnist():
    from ..data import load_mnist

    with warnings.catch_warnings():  # a cache notice on stderr is not the student's output
        warnings.simplefilter("ignore")
        return load_mnist()


def mnist_unit() -> tuple:
    """MNIST scaled to [0, 1], integer labels, split 55,000 / 5,000 (a2's ``load_data`` cell).

    Returns
    -------
    X_train : ndarray of shape (55000, 784), float64
        ``pixels / 255``.
    y_train : ndarray of shape (55000,), int64
    X_val : ndarray of shape (5000, 784), float64
    y_val : ndarray of shape (5000,), int64
    """
    m = _mnist()
    X = np.divide(m.X_train, 255.0, dtype=np.float64)  # bit for bit ``astype(np.float64) / 255.0``, one pass
    y = np.asarray(m.y_train, dtype=np.int64)
    return X[:TRAIN_ROWS], y[:TRAIN_ROWS], X[TRAIN_ROWS:], y[TRAIN_ROWS:]


def mnist_signed_bias_onehot() -> tuple:
    """MNIST scaled to [-1, 1] with a bias column of ones, one-hot labels, split 55,000 / 5,000 (a1's softmax).

    Returns
    -------
    X_train : ndarray of shape (55000, 785), float64
        ``[pixels / 127.5 - 1, 1]``.
    Y_train : ndarray of shape (55000, 10), float64
        One row of ``np.eye(10)`` per label.
    X_val : ndarray of shape (5000, 785), float64
    Y_val : ndarray of shape (5000, 10), float64
    """
    m = _mnist()
    X = np.hstack([m.X_train.astype(np.float64) / 127.5 - 1.0, np.ones((len(m.X_train), 1))])
    Y = np.eye(10)[m.y_train]
    return X[:TRAIN_ROWS], Y[:TRAIN_ROWS], X[TRAIN_ROWS:], Y[TRAIN_ROWS:]


#: The training sets a test may name, each a function of no arguments returning the arrays, in order.
RECIPES = {"mnist_unit": mnist_unit, "mnist_signed_bias_onehot": mnist_signed_bias_onehot}


def call_with_recipe(recipe: str, fn, *args, **kwargs):
    """``fn(*RECIPES[recipe](), *args, **kwargs)`` in this process (the judge's stand-in runs this in the kernel)."""
    if type(recipe) is not str or recipe not in RECIPES:
        raise ValueError(f"no training set named {recipe!r}; there are {sorted(RECIPES)}")
    return fn(*RECIPES[recipe](), *args, **kwargs)
