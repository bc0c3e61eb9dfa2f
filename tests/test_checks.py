"""Tests for autograder.checks, the library called by the notebooks' test cells."""

import builtins
import warnings

import numpy as np
import pytest

from autograder.checks import (
    CheckFailure,
    check_accuracy,
    check_array,
    check_close,
    check_gradient,
    check_no_warnings,
    check_scalar,
    check_unchanged,
    numerical_gradient,
    relative_error,
)


pytestmark = pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")


@pytest.fixture
def rng():
    return np.random.default_rng(1234)


# --------------------------------------------------------------------------- hostile inputs


class AlwaysEqual:
    """Claims equality with everything."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


class Liar:
    """Pretends to be a correct array and a number."""

    def __array__(self, dtype=None, copy=None):
        return np.ones((4, 3))

    def __float__(self):
        return 0.5

    def __eq__(self, other):
        return True

    __hash__ = object.__hash__


class ClassLiar:
    """``isinstance(obj, np.ndarray)`` is True through a lying ``__class__``."""

    @property
    def __class__(self):
        return np.ndarray


class MyArray(np.ndarray):
    pass


def hostile_values():
    base = np.ones((4, 3))
    return {
        "list": base.tolist(),
        "tuple": tuple(map(tuple, base.tolist())),
        "matrix": np.asmatrix(base),
        "subclass": base.view(MyArray),
        "always_equal": AlwaysEqual(),
        "liar": Liar(),
        "class_liar": ClassLiar(),
        "none": None,
    }


# --------------------------------------------------------------------------- numerical_gradient


def test_numerical_gradient_sum_of_squares(rng):
    x = rng.standard_normal((5,))
    g = numerical_gradient(lambda: float(np.sum(x ** 2)), x)
    assert type(g) is np.ndarray and g.dtype == np.float64 and g.shape == x.shape
    assert relative_error(g, 2 * x) < 1e-7


def test_numerical_gradient_quadratic_form(rng):
    x = rng.standard_normal(4)
    A = rng.standard_normal((4, 4))
    g = numerical_gradient(lambda: float(x @ A @ x), x)
    assert relative_error(g, (A + A.T) @ x) < 1e-7


def test_numerical_gradient_matrix_function(rng):
    W = rng.standard_normal((3, 4))
    X = rng.standard_normal((5, 3))
    B = rng.standard_normal((5, 4))

    def f():
        return float(np.sum((X @ W - B) ** 2) / 2)

    g = numerical_gradient(f, W)
    assert g.shape == (3, 4)
    assert relative_error(g, X.T @ (X @ W - B)) < 1e-7


def test_numerical_gradient_sin_any_shape(rng):
    x = rng.uniform(0.1, 1.2, size=(2, 3, 2))
    g = numerical_gradient(lambda: np.sum(np.sin(x)), x)  # numpy scalar is accepted
    assert relative_error(g, np.cos(x)) < 1e-7
    x0 = np.array(0.7)
    assert relative_error(numerical_gradient(lambda: np.sin(x0[()]), x0), np.cos(x0)) < 1e-7


def test_numerical_gradient_restores_x_bit_for_bit(rng):
    x = rng.standard_normal((3, 4)) * 1e3
    x[0, 0] = -0.0
    original = x.copy()
    numerical_gradient(lambda: float(np.sum(np.exp(x / 1e3))), x)
    assert x.tobytes() == original.tobytes()


def test_numerical_gradient_restores_x_when_f_raises(rng):
    x = rng.standard_normal((3, 4))
    original = x.copy()
    calls = []

    def f():
        calls.append(1)
        if len(calls) == 3:  # second coordinate, "+h" evaluation
            raise ZeroDivisionError("boom")
        return float(np.sum(x))

    with pytest.raises(ZeroDivisionError, match="boom"):
        numerical_gradient(f, x)
    assert len(calls) == 3
    assert x.tobytes() == original.tobytes()


def test_numerical_gradient_restores_x_when_f_returns_garbage(rng):
    x = rng.standard_normal(3)
    original = x.copy()
    with pytest.raises(CheckFailure, match="single number"):
        numerical_gradient(lambda: [1.0], x)
    assert x.tobytes() == original.tobytes()


@pytest.mark.parametrize("bad", [np.ones(3, dtype=np.float32), np.ones(3, dtype=int), [1.0, 2.0],
                                 np.ones(3).view(MyArray)])
def test_numerical_gradient_requires_float64_ndarray(bad):
    with pytest.raises(CheckFailure, match="float64"):
        numerical_gradient(lambda: 0.0, bad)


# --------------------------------------------------------------------------- check_gradient


def _linear_problem(rng, shape=(3, 3)):
    W = rng.standard_normal(shape)
    A = rng.standard_normal(shape)
    return W, A, (lambda: float(np.sum(A * W) + 0.5 * np.sum(W ** 2)))


def test_check_gradient_passes_for_correct_gradient(rng):
    W, A, f = _linear_problem(rng, (3, 4))
    b = rng.standard_normal(4)
    g = lambda: f() + float(np.sum(b ** 3))  # noqa: E731
    errors = check_gradient(g, {"W1": W, "b1": b}, {"d_w1": A + W, "d_b1": 3 * b ** 2},
                            keys={"W1": "d_w1", "b1": "d_b1"}, where="Net.cost_grad")
    assert set(errors) == {"W1", "b1"} and max(errors.values()) < 1e-6


def test_check_gradient_factor_two(rng):
    W = rng.standard_normal((3, 4))
    lam = 0.1
    with pytest.raises(CheckFailure) as info:
        check_gradient(lambda: lam * float(np.sum(W ** 2)), {"W1": W}, {"W1": lam * W},
                       where="Net.cost_grad")
    msg = str(info.value)
    assert msg.startswith("Net.cost_grad: ")
    assert "'W1'" in msg and "W1[" in msg
    assert "factor 2" in msg and "2*lam*W" in msg
    assert "tolerance 1e-06" in msg


def test_check_gradient_sum_versus_mean(rng):
    n = 8
    X = rng.standard_normal((n, 3))
    y = rng.standard_normal(n)
    w = rng.standard_normal(3)

    def mean_cost():
        return float(np.mean((X @ w - y) ** 2) / 2)

    summed = X.T @ (X @ w - y)  # forgot to divide by n
    with pytest.raises(CheckFailure) as info:
        check_gradient(mean_cost, {"w": w}, {"dw": summed}, keys={"w": "dw"}, batch_size=n,
                       where="linear_cost_grad()")
    msg = str(info.value)
    assert msg.startswith("linear_cost_grad(): ")
    assert "grads['dw']" in msg and "'w'" in msg
    assert "sum over the batch where a mean is expected" in msg
    assert "factor 2" not in msg and "sign" not in msg


def test_check_gradient_flipped_sign(rng):
    W, A, f = _linear_problem(rng)
    with pytest.raises(CheckFailure) as info:
        check_gradient(f, {"W": W}, {"W": -(A + W)}, where="cost_grad")
    msg = str(info.value)
    assert "sign is flipped" in msg and "cost_grad" in msg and "'W'" in msg


def test_check_gradient_transposed(rng):
    W = rng.standard_normal((4, 4))
    A = rng.standard_normal((4, 4))
    with pytest.raises(CheckFailure) as info:
        check_gradient(lambda: float(np.sum(A * W)), {"W2": W}, {"W2": A.T.copy()},
                       where="Net.backward")
    msg = str(info.value)
    assert "transpose" in msg and "'W2'" in msg and msg.startswith("Net.backward: ")


def test_check_gradient_all_zeros(rng):
    W, A, f = _linear_problem(rng)
    with pytest.raises(CheckFailure, match="all zeros"):
        check_gradient(f, {"W": W}, {"W": np.zeros_like(W)}, where="cost_grad")


def test_check_gradient_wrong_shape(rng):
    W = rng.standard_normal((3, 5))
    A = rng.standard_normal((3, 5))
    with pytest.raises(CheckFailure) as info:
        check_gradient(lambda: float(np.sum(A * W)), {"W1": W}, {"d_w1": A.T.copy()},
                       keys={"W1": "d_w1"}, where="Net.cost_grad")
    msg = str(info.value)
    assert msg.startswith("Net.cost_grad: ")
    assert "d_w1" in msg and "(5, 3)" in msg and "(3, 5)" in msg and "transpose" in msg


def test_check_gradient_missing_key_and_non_dict(rng):
    W, A, f = _linear_problem(rng)
    with pytest.raises(CheckFailure, match="missing"):
        check_gradient(f, {"W": W}, {"dW": A + W}, where="cost_grad")
    with pytest.raises(CheckFailure, match="should be a dict"):
        check_gradient(f, {"W": W}, [A + W], where="cost_grad")


def test_check_gradient_ignores_finite_difference_noise():
    # W[0]'s true gradient (2e-9) is far below what differences of a cost near 1e3 resolve:
    # the numerical value is rounding noise, which must not fail a correct gradient.
    W = np.array([1e-9, 0.5, -0.3])

    def f():
        return float(1e3 + np.sum(W ** 2))

    errors = check_gradient(f, {"W": W}, {"W": 2 * W})
    assert errors["W"] > 1e-6  # the relative error alone would have failed


def test_check_gradient_copies_grad_before_perturbing(rng):
    # A student's cost that scribbles over its own gradient buffer while being re-evaluated
    # must be judged on the gradient as it was returned.
    W = rng.standard_normal(3)
    buffer = 2 * W

    def f():
        cost = float(np.sum(W ** 2))
        buffer[...] = -1.0
        return cost

    grads = {"W": buffer}
    check_gradient(f, {"W": W}, grads)


# --------------------------------------------------------------------------- check_array


@pytest.mark.parametrize("kind", ["list", "tuple", "matrix", "subclass", "always_equal", "liar",
                                  "class_liar", "none"])
def test_check_array_rejects_non_ndarrays(kind):
    value = hostile_values()[kind]
    with pytest.raises(CheckFailure) as info:
        check_array(value, "probs", shape=(4, 3), where="softmax()")
    msg = str(info.value)
    assert msg.startswith("softmax(): ")
    assert "numpy.ndarray" in msg and "(4, 3)" in msg


def test_check_array_messages_name_the_type():
    values = hostile_values()
    for kind, text in [("list", "a list"), ("tuple", "a tuple"), ("matrix", "subclass"),
                       ("subclass", "MyArray"), ("liar", "a Liar"), ("none", "return")]:
        with pytest.raises(CheckFailure, match=text):
            check_array(values[kind], "probs", where="softmax()")


def test_check_array_accepts_exact_ndarray():
    a = np.ones((4, 3))
    assert check_array(a, "probs", shape=(4, 3), where="softmax()") is a
    assert check_array(a, "probs", shape=(None, 3)) is a
    check_array(np.arange(3), "labels", dtype="int")
    check_array(np.arange(3) > 1, "mask", dtype="numeric")
    check_array(np.ones(2, dtype=np.float32), "x", dtype="float")


def test_check_array_shape_messages():
    with pytest.raises(CheckFailure, match=r"shape \(3, 4\) but expected \(4, 3\)\. Did you transpose"):
        check_array(np.ones((3, 4)), "probs", shape=(4, 3), where="softmax()")
    with pytest.raises(CheckFailure, match=r"ravel"):
        check_array(np.ones((5, 1)), "y", shape=(5,))
    with pytest.raises(CheckFailure, match=r"keepdims"):
        check_array(np.ones(5), "sums", shape=(5, 1))
    with pytest.raises(CheckFailure) as info:
        check_array(np.ones(12), "probs", shape=(4, 3))
    assert "transpose" not in str(info.value)


def test_check_array_dtype_messages():
    with pytest.raises(CheckFailure, match="dtype bool"):
        check_array(np.ones(3) > 0, "out", dtype="float", where="relu()")
    with pytest.raises(CheckFailure, match="dtype object"):
        check_array(np.array([1.0, Liar()], dtype=object), "out", dtype=None)
    with pytest.raises(CheckFailure, match="dtype object"):
        check_array(np.array([1.0, 2.0], dtype=object), "out", dtype="numeric")
    with pytest.raises(CheckFailure, match="float32"):
        check_array(np.ones(3, dtype=np.float32), "W", dtype="float64")
    with pytest.raises(CheckFailure, match="int64"):
        check_array(np.arange(3), "out", dtype="float")


def test_check_array_nan_inf_message():
    a = np.zeros((2, 3))
    a[1, 2] = np.nan
    a[1, 0] = np.nan
    a[0, 1] = np.inf
    with pytest.raises(CheckFailure) as info:
        check_array(a, "probs", where="softmax()")
    msg = str(info.value)
    assert "2 NaN and 1 inf" in msg and "(0, 1)" in msg and "exp()" in msg
    check_array(a, "probs", finite=False)


def test_checks_do_not_use_patched_builtins_or_numpy():
    """Student code may rebind builtins or numpy functions before the hidden tests run."""
    saved = (builtins.isinstance, builtins.abs, builtins.float, np.isfinite, np.abs)
    outcomes = []

    def attempt(fn, *args, **kwargs):
        try:
            fn(*args, **kwargs)
        except CheckFailure as exc:
            outcomes.append(str(exc))
        else:
            outcomes.append(None)

    try:
        builtins.isinstance = lambda obj, cls: True
        builtins.abs = lambda x: 0.0
        builtins.float = lambda x=0.0: 0.5
        np.isfinite = lambda a: np.ones(np.shape(a), dtype=bool)
        np.abs = lambda a: np.zeros(np.shape(a))
        attempt(check_array, [1.0], "x")
        attempt(check_array, np.array([np.nan]), "x")
        attempt(check_close, np.array([2.0]), np.array([1.0]), "x")
        attempt(check_scalar, Liar(), "loss")
    finally:
        (builtins.isinstance, builtins.abs, builtins.float, np.isfinite, np.abs) = saved
    assert outcomes[0] is not None and "a list" in outcomes[0]
    assert outcomes[1] is not None and "NaN" in outcomes[1]
    assert outcomes[2] is not None and "your value 2" in outcomes[2]
    assert outcomes[3] is not None and "Liar" in outcomes[3]


# --------------------------------------------------------------------------- check_scalar


@pytest.mark.parametrize("value", [1.5, 3, np.float64(2.0), np.float32(2.0), np.int64(4),
                                   np.array(2.5), np.array([2.5]), np.array([[7]])])
def test_check_scalar_accepts_numbers(value):
    result = check_scalar(value, "loss")
    assert type(result) is float and result == float(np.asarray(value).ravel()[0])


@pytest.mark.parametrize("value", [True, np.bool_(True), Liar(), AlwaysEqual(), ClassLiar(),
                                   [1.0], (1.0,), None, "1.0", 1 + 2j, np.ones(2),
                                   np.array([1.0], dtype=object), np.array(True),
                                   np.ones(1).view(MyArray)])
def test_check_scalar_rejects(value):
    with pytest.raises(CheckFailure) as info:
        check_scalar(value, "loss", where="cross_entropy()")
    assert str(info.value).startswith("cross_entropy(): ")
    assert "loss" in str(info.value)


def test_check_scalar_subclass_of_float_rejected():
    class Sneaky(float):
        def __float__(self):
            return 0.0

    with pytest.raises(CheckFailure, match="Sneaky"):
        check_scalar(Sneaky(3.0), "loss")


def test_check_scalar_finite():
    with pytest.raises(CheckFailure, match="nan"):
        check_scalar(float("nan"), "loss", where="loss()")
    with pytest.raises(CheckFailure, match="inf"):
        check_scalar(np.float64(np.inf), "loss")
    assert check_scalar(float("inf"), "loss", finite=False) == float("inf")
    with pytest.raises(CheckFailure, match="sum"):
        check_scalar(np.ones(3), "loss")


# --------------------------------------------------------------------------- check_close / relative_error


def test_relative_error_values():
    assert relative_error(np.array([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0
    assert relative_error(np.array([1.0, 3.0]), np.array([1.0, 1.0])) == pytest.approx(0.5)
    assert relative_error(0.0, 0.0) == 0.0
    assert relative_error(np.array([np.nan]), np.array([1.0])) == float("inf")
    assert relative_error(np.zeros((0, 3)), np.zeros((0, 3))) == 0.0
    with pytest.raises(CheckFailure, match="shapes"):
        relative_error(np.ones(2), np.ones(3))
    with pytest.raises(CheckFailure):
        relative_error(Liar(), np.ones((4, 3)))


def test_check_close_passes_and_hides_expected_values():
    expected = np.array([[0.123456789, 0.987654321], [0.5, 0.25]])
    check_close(expected + 1e-12, expected, "probs", where="softmax()")
    actual = np.array([[0.31, 0.987654321], [0.5, 0.25]])
    with pytest.raises(CheckFailure) as info:
        check_close(actual, expected, "probs", where="softmax()", hint="Normalise each row.")
    msg = str(info.value)
    assert msg.startswith("softmax(): ")
    for secret in (0.123456789, expected[0, 0]):
        assert repr(secret) not in msg and str(secret) not in msg
    assert "123456" not in msg and "1234568" not in msg
    assert "0.31" in msg and "(0, 0)" in msg and "1 of 4" in msg
    assert "1e-07" in msg and "Normalise each row." in msg


def test_check_close_scalar_hides_expected():
    with pytest.raises(CheckFailure) as info:
        check_close(0.75, 0.123456789, "loss", where="cross_entropy()")
    msg = str(info.value)
    assert "0.75" in msg and "123456" not in msg
    check_close(np.float64(0.123456789), 0.123456789, "loss")


def test_check_close_rejects_hostile_and_wrong_shape():
    expected = np.ones((4, 3))
    for value in hostile_values().values():
        with pytest.raises(CheckFailure):
            check_close(value, expected, "probs", where="softmax()")
    with pytest.raises(CheckFailure, match="transpose"):
        check_close(np.ones((3, 4)), expected, "probs")
    with pytest.raises(CheckFailure, match="dtype bool"):
        check_close(np.ones((4, 3)) > 0, expected, "probs")
    check_close(np.array([1, 2]), np.array([1, 2]), "labels")  # int reference: ints accepted


def test_check_close_nan_in_student_result():
    with pytest.raises(CheckFailure, match="NaN"):
        check_close(np.array([np.nan, 1.0]), np.array([1.0, 1.0]), "x")


# --------------------------------------------------------------------------- accuracy / warnings / unchanged


def test_check_accuracy_pass_and_fail():
    y_true = np.array([0, 1, 2, 1, 0, 2, 1, 1, 0, 2])
    y_pred = y_true.copy()
    assert check_accuracy(y_pred, y_true, 0.97, where="Net.predict") == 1.0
    y_pred[:3] = (y_pred[:3] + 1) % 3
    with pytest.raises(CheckFailure) as info:
        check_accuracy(y_pred, y_true, 0.97, where="Net.predict")
    msg = str(info.value)
    assert msg.startswith("Net.predict: ")
    assert "accuracy 0.7000 is below the required 0.97" in msg
    assert "learning rate" in msg and "training loop" in msg


def test_check_accuracy_close_to_threshold_is_not_printed_as_equal():
    y_true = np.zeros(100000, dtype=int)
    y_pred = y_true.copy()
    y_pred[:3001] = 1  # 0.96999
    with pytest.raises(CheckFailure) as info:
        check_accuracy(y_pred, y_true, 0.97)
    assert "0.96999" in str(info.value)


def test_check_accuracy_rejects_bad_predictions():
    y_true = np.array([0, 1, 1])
    with pytest.raises(CheckFailure, match="argmax"):
        check_accuracy(np.array([[0.9, 0.1], [0.2, 0.8], [0.3, 0.7]]), y_true, 0.5)
    with pytest.raises(CheckFailure, match="ravel"):
        check_accuracy(y_true.reshape(-1, 1), y_true, 0.5)
    with pytest.raises(CheckFailure, match="list"):
        check_accuracy([0, 1, 1], y_true, 0.5)
    with pytest.raises(CheckFailure):
        check_accuracy(AlwaysEqual(), y_true, 0.5)


def test_check_no_warnings_catches_overflow():
    with pytest.raises(CheckFailure) as info:
        check_no_warnings(lambda z: np.exp(z) / np.sum(np.exp(z)), np.array([1000.0, 0.0]),
                          where="softmax()")
    msg = str(info.value)
    assert msg.startswith("softmax(): ")
    assert "overflow" in msg and "subtract the row maximum" in msg


def test_check_no_warnings_catches_log_zero_and_runtime_warning():
    with pytest.raises(CheckFailure, match="log"):
        check_no_warnings(np.log, np.array([0.0, 1.0]), where="cross_entropy()")

    def warns():
        warnings.warn("something odd", RuntimeWarning)
        return 1

    with pytest.raises(CheckFailure, match="something odd"):
        check_no_warnings(warns)


def test_check_no_warnings_passes_stable_function():
    def stable_softmax(z):
        e = np.exp(z - z.max(axis=1, keepdims=True))  # exp(-2000) underflows to 0: fine
        return e / e.sum(axis=1, keepdims=True)

    z = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    out = check_no_warnings(stable_softmax, z, where="softmax()")
    assert out.shape == (2, 3) and np.allclose(out.sum(axis=1), 1.0)
    assert np.geterr()["over"] != "raise"  # state restored


def test_check_no_warnings_passes_other_exceptions_through():
    def broken(x):
        raise KeyError("nope")

    with pytest.raises(KeyError):
        check_no_warnings(broken, 1)


def test_check_unchanged():
    X = np.arange(6.0).reshape(2, 3)
    before = X.copy()
    check_unchanged(before, X, "X", where="standardize()")
    X[1, 2] = -1.0
    with pytest.raises(CheckFailure) as info:
        check_unchanged(before, X, "X", where="standardize()")
    msg = str(info.value)
    assert msg.startswith("standardize(): ") and "in place" in msg and "(1, 2)" in msg
    assert "1 of 6" in msg
    Y = np.array([np.nan, 1.0])
    check_unchanged(Y.copy(), Y, "Y")
