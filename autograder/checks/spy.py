"""Stand-ins that tests hand to student code: recorders of calls, and a notebook global swapped for a test.

A hidden test sometimes needs to watch how the student's code calls something (which mini-batches a
training loop passes to its gradient function) or to run the student's class with a known-good
helper. In one process a test can pass its own function; under the judge (``autograder.judge``) no
test code may reach the student's kernel, so both are library objects instead, built where the
student's code runs:

* `recorder` returns a `Recorder`: a callable that keeps a copy of the arguments of every call and
  answers with a fixed value, a scripted sequence of values, or by calling the function it wraps;
* `replaced` binds a notebook global to a stand-in (such as `tanh_derivative`) for the duration of a
  ``with`` block.

In plain nbgrader (the test runs in the kernel) both work on the test's own namespace; under the judge
they are built in, and read back from, the kernel. Either way the recorded calls are data the test
checks.
"""

from __future__ import annotations

import sys

import numpy as np

#: Set by the judge while it runs a test cell: ``construct(what, kwargs)`` and ``swap(name, value)``.
_JUDGE = {"construct": None, "swap": None}


def _copy(value):
    kind = type(value)
    if kind is np.ndarray:
        return value.copy()
    if kind is list:
        return [_copy(v) for v in value]
    if kind is tuple:
        return tuple(_copy(v) for v in value)
    if kind is dict:
        return {k: _copy(v) for k, v in value.items()}
    return value


class Recorder:
    """A callable that records its calls (see the module docstring).

    Parameters
    ----------
    returns : object, optional
        The value of every call (a fresh copy each time).
    results : list, optional
        The value of the i-th call; a call past the end raises ``RuntimeError``.
    wraps : callable, optional
        Call this with the same arguments and return its value.

    Attributes
    ----------
    calls : list of (tuple, dict)
        Copies of the positional and keyword arguments of each call, in order.
    """

    def __init__(self, returns=None, results=None, wraps=None):
        self.returns = returns
        self.results = None if results is None else list(results)
        self.wraps = wraps
        self.calls = []

    def __call__(self, *args, **kwargs):
        self.calls.append((_copy(args), _copy(kwargs)))
        if self.wraps is not None:
            return self.wraps(*args, **kwargs)
        if self.results is not None:
            if len(self.calls) > len(self.results):
                raise RuntimeError(f"called {len(self.calls)} times; the test expected at most {len(self.results)} calls")
            return _copy(self.results[len(self.calls) - 1])
        return _copy(self.returns)


def recorder(returns=None, results=None, wraps=None):
    """A `Recorder` where the student's code runs (in the kernel, under the judge).

    Parameters
    ----------
    returns, results, wraps
        See `Recorder`. ``wraps`` may be one of the notebook's own functions or methods.

    Returns
    -------
    recorder : Recorder
        Read ``recorder.calls`` after the student's code ran.
    """
    kwargs = {"returns": returns, "results": results, "wraps": wraps}
    if _JUDGE["construct"] is not None:
        return _JUDGE["construct"]("Recorder", kwargs)
    return Recorder(**kwargs)


def tanh_derivative(x):
    """``1 - tanh(x)**2`` elementwise (a stand-in for a notebook's own ``tanh_prime``)."""
    return 1.0 - np.tanh(x) ** 2


def logistic_gradient(X, y, w):
    """Gradient of the mean binary cross-entropy of ``sigmoid(X @ w)``: ``X.T @ (sigmoid(X @ w) - y) / n``."""
    z = X @ w
    p = np.exp(-np.logaddexp(0.0, -z))
    return X.T @ (p - y) / len(y)


def softmax_gradient(X, Y, W, lam=0.0):
    """Gradient of the mean cross-entropy of ``softmax(X @ W)`` (without L2): ``X.T @ (P - Y) / n``."""
    Z = X @ W
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return X.T @ (E / E.sum(axis=1, keepdims=True) - Y) / len(Y)


#: Library functions a test may hand to student code, by name (`stand_in`, `replaced`).
FUNCTIONS = {"tanh_derivative": tanh_derivative, "logistic_gradient": logistic_gradient,
             "softmax_gradient": softmax_gradient}
#: What the judge may build in the kernel by name: a `Recorder`, or one of `FUNCTIONS`.
STAND_INS = {"Recorder": Recorder, **{name: (lambda fn=fn: fn) for name, fn in FUNCTIONS.items()}}


def stand_in(name: str):
    """One of `FUNCTIONS` where the student's code runs, to pass to it (e.g. as ``grad_fn``).

    Parameters
    ----------
    name : str
        ``"tanh_derivative"``, ``"logistic_gradient"`` or ``"softmax_gradient"``.

    Returns
    -------
    fn : callable
    """
    if name not in FUNCTIONS:
        raise ValueError(f"no stand-in named {name!r}; there are {sorted(FUNCTIONS)}")
    if _JUDGE["construct"] is not None:
        return _JUDGE["construct"](name, {})
    return FUNCTIONS[name]


class replaced:
    """``with replaced("tanh_prime", "tanh_derivative"):`` the notebook's global is the stand-in inside the block.

    Parameters
    ----------
    name : str
        A global of the notebook.
    stand_in_name : str
        One of `FUNCTIONS`.
    """

    def __init__(self, name: str, stand_in_name: str):
        if stand_in_name not in FUNCTIONS:
            raise ValueError(f"no stand-in named {stand_in_name!r}; there are {sorted(FUNCTIONS)}")
        self.name = name
        self.stand_in_name = stand_in_name
        self._saved = None

    def __enter__(self):
        if _JUDGE["swap"] is not None:
            value = _JUDGE["construct"](self.stand_in_name, {})
            self._saved = ("judge", _JUDGE["swap"], _JUDGE["swap"](self.name, value))
            return value
        ns = sys._getframe(1).f_globals
        self._saved = ("local", ns, ns.get(self.name, _MISSING))
        ns[self.name] = FUNCTIONS[self.stand_in_name]
        return ns[self.name]

    def __exit__(self, *exc):
        where, target, old = self._saved
        if where == "judge":
            target(self.name, old, delete=old is None)
        elif old is _MISSING:
            target.pop(self.name, None)
        else:
            target[self.name] = old
        return False


_MISSING = object()
