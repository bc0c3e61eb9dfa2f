"""The make_moons split used by assignment a3."""

from __future__ import annotations

import numpy as np


def load_moons(*, n_samples: int = 500, noise: float = 0.2, random_state: int = 42, test_size: float = 0.3):
    """Two interleaving half circles, split into training and test sets.

    ``sklearn.datasets.make_moons(n_samples, noise=noise, random_state=random_state)`` split with
    ``sklearn.model_selection.train_test_split(X, y, test_size=test_size, random_state=random_state)``.

    Parameters
    ----------
    n_samples : int
    noise : float
    random_state : int
    test_size : float

    Returns
    -------
    X_train : ndarray of shape (n_train, 2), float64
    X_test : ndarray of shape (n_test, 2), float64
    y_train : ndarray of shape (n_train,), int64
    y_test : ndarray of shape (n_test,), int64
    """
    from sklearn.datasets import make_moons
    from sklearn.model_selection import train_test_split

    X, y = make_moons(n_samples=n_samples, noise=noise, random_state=random_state)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=test_size, random_state=random_state)
    return (np.ascontiguousarray(X_train, dtype=np.float64), np.ascontiguousarray(X_test, dtype=np.float64),
            y_train.astype(np.int64), y_test.astype(np.int64))
