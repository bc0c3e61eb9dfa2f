"""Accuracy of a student's trained model against a required threshold."""

from ._safe import _asarray, _count_nonzero, _float, _format, _int, _np_array, _range, _tuple
from .arrays import _check_array
from .errors import _fail


def _fmt_below(acc, threshold):
    """Format ``acc`` with enough decimals that it visibly differs from ``threshold``."""
    for digits in _range(4, 13):
        text = _format(acc, f".{digits}f")
        if _float(text) < threshold:
            return text
    return _format(acc, ".17g")


def check_accuracy(y_pred, y_true, threshold, *, where=""):
    """Check that predicted class labels reach a required accuracy.

    Parameters
    ----------
    y_pred : numpy.ndarray
        The student's predictions: exact ndarray of integer dtype, shape ``(n,)`` (the same
        shape as ``y_true``). Probabilities, one-hot rows or an ``(n, 1)`` column are rejected
        with a message saying how to convert them.
    y_true : array_like
        The true labels, integer, shape ``(n,)``.
    threshold : float
        Required accuracy in [0, 1].
    where : str, optional
        The student function or model being tested, e.g. ``"NetClassifier.predict"``.

    Returns
    -------
    float
        The accuracy, the fraction of ``y_pred == y_true``.

    Raises
    ------
    CheckFailure
        If ``y_pred`` has the wrong type, dtype or shape, or the accuracy is below
        ``threshold``.
    """
    yt = _np_array(_asarray(y_true), copy=True)
    threshold = _float(threshold)
    hint = (" Did you return probabilities or scores? Predicted labels are "
            "np.argmax(probs, axis=1).")
    _check_array(y_pred, "y_pred", _tuple(yt.shape), "int", True, where, extra_dtype_hint=hint)
    yp = _np_array(y_pred, copy=True)
    n = _int(yt.size)
    if n == 0:
        raise ValueError("check_accuracy: y_true is empty")
    acc = _float(_count_nonzero(yp == yt)) / n
    if acc < threshold:
        _fail(where, f"accuracy {_fmt_below(acc, threshold)} is below the required "
                     f"{threshold:g}. Look at your training loop (are all epochs and batches "
                     "used, are the parameters actually updated?), the learning rate, and "
                     "verify your gradients with check_gradient.")
    return acc
