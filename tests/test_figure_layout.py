"""Every figure the package and scripts/make_figures.py draw passes the
layout check of tests/figure_layout.py, drawn as the chapters draw it, with
data that puts curves where a legend could be; a broken figure fails it.
The figures stored in the chapters are checked in the built book
(tests/book/test_stored_figures.py)."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from figure_layout import from_figure, problems

from sincos import Hyperparams, SinCosBatches, plotting

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_figures  # noqa: E402

RNG = np.random.default_rng(0)
ITERATIONS = np.arange(200)


def falling_costs(runs: int, start: float = 20, end: float = 0.1):
    """Costs that fall from ``start`` to ``end`` over 200 iterations, with
    noise, one row per run."""
    trend = np.geomspace(start, end, len(ITERATIONS))
    return trend * np.exp(RNG.normal(0, 0.4, (runs, len(ITERATIONS))))


def batches():
    data = SinCosBatches(Hyperparams())
    return next(data), next(data)


def training_figure(level: float):
    """The training view with the target and prediction near ``level``."""
    figure = plotting.TrainingFigure()
    xs = np.linspace(0, 0.6, 20)
    figure.update(xs, np.full(20, level), np.full(20, level + 0.1), [9, 3])
    return figure.fig


def row(**curves):
    batch, _ = batches()
    return plotting.plot_row(batch.xs[0], **curves).figure


def fit_overview():
    batch, _ = batches()
    return plotting.plot_fit_overview(batch, 0.3 * batch.seq + 0.2)


def two_starts():
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(plotting.COLUMN_WIDTH, 5), layout="constrained"
    )
    steps = np.arange(600)
    target = np.cos(0.05 * steps)
    preds = {
        "prediction, carried state": target + 0.01,
        "prediction from zeros": target + np.exp(-steps / 20),
    }
    plotting.plot_predictions(target, preds, warm_up=46, ax=top)
    errors = {k: v - target for k, v in preds.items()}
    plotting.plot_abs_errors(errors, 0.05, warm_up=46, ax=bottom)
    return fig


def cost_groups():
    ax = plotting.plot_cost_groups(
        {
            "carried state": falling_costs(5),
            "reset to zeros": falling_costs(5),
        },
        styles=(plotting.CARRIED, plotting.RESET),
        title="200 iterations, 5 seeds each",
    )
    return ax.figure


def error_by_position():
    curves = {
        "carried-state net, carried state": np.full(20, 0.01),
        "carried-state net, from zeros": np.linspace(0.6, 0.2, 20),
        "reset net, from zeros": np.geomspace(0.5, 0.004, 20),
    }
    ax = plotting.plot_error_by_position(
        curves,
        floor=0.5,
        styles=(plotting.CARRIED, plotting.CARRIED, plotting.RESET),
    )
    return ax.figure


def window_sweep():
    values = [RNG.uniform(1e-4, 1e-1, 5) for _ in range(4)]
    ax = plotting.plot_window_sweep(
        [5, 10, 20, 40],
        {"carried state": values, "reset to zeros": values[::-1]},
        styles=(plotting.CARRIED, plotting.RESET),
    )
    return ax.figure


def frequency_response():
    k = np.array([0.5, 0.75, 0.9, 1, 1.1, 1.25, 1.5, 2, 3])
    return plotting.plot_frequency_response(k, 1 / np.sqrt(k), k - 1)


FIGURES = {
    "TrainingFigure, curves at the bottom": lambda: training_figure(-1.0),
    "TrainingFigure, curves at the top": lambda: training_figure(1.0),
    "plot_costs": lambda: plotting.plot_costs(falling_costs(1)[0]).figure,
    "plot_row, input and target": lambda: row(
        inputs=np.sin(np.linspace(0, 0.6, 20)),
        target=np.cos(np.linspace(0, 0.6, 20)),
    ),
    "plot_batch_continuation": lambda: plotting.plot_batch_continuation(
        *batches()
    ),
    "plot_fit_overview": fit_overview,
    "plot_predictions and plot_abs_errors": two_starts,
    "plot_cost_groups": cost_groups,
    "plot_error_by_position": error_by_position,
    "plot_window_sweep": window_sweep,
    "plot_frequency_response": frequency_response,
    **{
        f"make_figures {name}": draw
        for name, draw in make_figures.FIGURES.items()
    },
}


def kernel_rc() -> dict:
    """The settings the chapters' kernel draws with
    (scripts/ipython_kernel_config.py)."""
    config = SimpleNamespace(InlineBackend=SimpleNamespace())
    source = (ROOT / "scripts" / "ipython_kernel_config.py").read_text()
    exec(source, {"get_config": lambda: config})
    return config.InlineBackend.rc


@pytest.fixture(autouse=True)
def as_in_the_chapters():
    with plt.rc_context(kernel_rc()):
        yield
    plt.close("all")


@pytest.mark.parametrize("name", FIGURES)
def test_figure_layout(name):
    found = problems(from_figure(FIGURES[name]()))
    assert not found, f"{name}: " + "; ".join(found)


def broken_three_panels():
    """Three panels side by side in one column, each with a legend beside
    it: the panels are too narrow and each legend runs into the next."""
    fig, axes = plt.subplots(1, 3, figsize=(plotting.COLUMN_WIDTH, 3))
    fig.subplots_adjust(wspace=0.6)  # room for the legends, it seemed
    for k, ax in enumerate(axes):
        ax.plot(ITERATIONS, np.ones(200), label=f"median of {k + 5}")
        ax.set(yscale="log", ylim=(0.1, 10))
        ax.legend(loc="center left", bbox_to_anchor=(0.6, 0.5))
    return fig


def assert_broken(found: list[str]) -> None:
    assert any("px, less than" in p for p in found), found
    assert any("lies outside its panel" in p for p in found), found
    assert any("lies over panel" in p for p in found), found
    assert any("hides" in p for p in found), found


def test_a_broken_three_panel_figure_fails():
    assert_broken(problems(from_figure(broken_three_panels())))


def test_text_on_text_and_small_text_fail():
    fig, ax = plt.subplots(figsize=(plotting.COLUMN_WIDTH, 3))
    ax.text(0.5, 0.5, "one label", fontsize=10)
    ax.text(0.52, 0.5, "another", fontsize=10)
    ax.set_title("tiny", fontsize=6)
    found = problems(from_figure(fig))
    assert "text 'one label' overlaps text 'another'" in found
    assert "text 'tiny' is 8.0 px" in found
