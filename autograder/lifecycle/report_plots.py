"""The plots of ``autograder report``, as base64-encoded PNG images to embed in an HTML page.

Figures are made with `matplotlib.figure.Figure` on the Agg canvas: no pyplot, no global state, no
display needed.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display: the figures are only ever saved

from matplotlib.figure import Figure  # noqa: E402 - after the backend is chosen

_BLUE, _RED, _GREY = "#3b6ea8", "#c0504d", "#9a9a9a"


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def totals_histogram(totals: list[float], max_total: float) -> str:
    """Histogram of the students' autograded totals.

    Parameters
    ----------
    totals : list of float
        One autograded total per graded student.
    max_total : float
        Points available; the x axis runs from 0 to this.

    Returns
    -------
    png : str
        The figure as a base64-encoded PNG.
    """
    fig = Figure(figsize=(7, 3.2), layout="constrained")
    ax = fig.add_subplot()
    top = max([max_total, *totals, 1.0])
    if top == int(top) and top <= 30:  # few points: one bar per whole point
        ax.hist(totals, bins=[k - 0.5 for k in range(int(top) + 2)], color=_BLUE, edgecolor="white", rwidth=0.9)
    else:
        ax.hist(totals, bins=20, range=(0, top), color=_BLUE, edgecolor="white")
    ax.set_xlabel(f"autograded total (out of {max_total:g})")
    ax.set_ylabel("students")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Autograded totals")
    return _png(fig)


def pass_rate_bars(cells: list[str], rates: list[float]) -> str:
    """Horizontal bars: the fraction of students with full points on each test cell, in notebook order.

    Parameters
    ----------
    cells : list of str
        Test cell ids (``grade_id``), in notebook order (drawn top to bottom).
    rates : list of float
        Fraction in [0, 1] of graded students with full points on each cell.

    Returns
    -------
    png : str
        The figure as a base64-encoded PNG.
    """
    fig = Figure(figsize=(7, 0.9 + 0.32 * max(len(cells), 1)), layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(len(cells)))
    colors = [_RED if r < 0.5 else _BLUE for r in rates]
    ax.barh(ys, [100 * r for r in rates], color=colors)
    ax.set_yticks(ys, cells)
    ax.invert_yaxis()  # first cell of the notebook on top
    ax.set_xlim(0, 100)
    ax.set_xlabel("students with full points (%)")
    for y, r in zip(ys, rates):
        ax.text(min(100 * r + 1, 88), y, f"{100 * r:.0f}%", va="center", fontsize=8)
    ax.set_title("Pass rate per test cell")
    return _png(fig)


def time_histogram(seconds: list[float], over: list[float] | None = None) -> str:
    """Histogram of the execution time per notebook, with a second series for notebooks that hit a limit.

    Parameters
    ----------
    seconds : list of float
        Execution seconds of the notebooks that ran normally.
    over : list of float or None
        Execution seconds of the notebooks stopped by a limit (drawn in red, stacked).

    Returns
    -------
    png : str
        The figure as a base64-encoded PNG.
    """
    over = list(over or [])
    fig = Figure(figsize=(7, 3.2), layout="constrained")
    ax = fig.add_subplot()
    everything = list(seconds) + over
    top = max(everything + [1.0])
    data, colors, labels = [], [], []
    for values, color, label in ((list(seconds), _BLUE, "ran to the end"), (over, _RED, "stopped by a limit / failed")):
        if values:
            data.append(values)
            colors.append(color)
            labels.append(label)
    if data:
        ax.hist(data, bins=20, range=(0, top * 1.02), color=colors, label=labels, stacked=True, edgecolor="white")
        ax.legend(fontsize=8)
    else:
        ax.text(0.5, 0.5, "no timings", ha="center", va="center", transform=ax.transAxes, color=_GREY)
    ax.set_xlabel("execution time per notebook (s)")
    ax.set_ylabel("notebooks")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title("Time per notebook")
    return _png(fig)
