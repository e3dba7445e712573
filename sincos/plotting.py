"""Figures drawn from arrays: the target and the prediction, the cost curve, the
scrolling view of training as an animation that plays without a kernel.

Target in red, prediction in blue dashes, as in the original tutorial.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation
from matplotlib.figure import Figure

TARGET = {"color": "tab:red", "linewidth": 2.0, "label": "target cos(x)"}
PREDICTION = {"color": "tab:blue", "linestyle": "--", "linewidth": 2.0,
              "label": "prediction"}
INPUT = {"color": "0.55", "linewidth": 1.0, "label": "input sin(x)"}


class TrainingFigure:
    """One figure, two panels: row 0's target and prediction over its x range, and
    the cost so far. ``update`` moves the existing lines; nothing is recreated."""

    def __init__(self, time_steps: int = 20, figsize: tuple[float, float] = (9, 3.4)) -> None:
        self.fig, (self.ax_fit, self.ax_cost) = plt.subplots(
            1, 2, figsize=figsize, gridspec_kw={"width_ratios": [1.6, 1]}, layout="constrained")
        empty = np.full(time_steps, np.nan)
        (self.target,) = self.ax_fit.plot(np.arange(time_steps), empty, **TARGET)
        (self.pred,) = self.ax_fit.plot(np.arange(time_steps), empty, **PREDICTION)
        self.ax_fit.set(xlabel="x", ylabel="value", ylim=(-1.6, 1.6),
                        title="row 0 of the current batch")
        self.ax_fit.legend(loc="lower left", fontsize=8)
        (self.cost,) = self.ax_cost.plot([], [], color="black", linewidth=1.2)
        self.ax_cost.set(xlabel="iteration", ylabel="cost", yscale="log", title="cost")
        self.ax_cost.grid(alpha=0.3)

    def update(self, xs: np.ndarray, target: np.ndarray, pred: np.ndarray,
               history: Sequence[float]) -> Figure:
        """Show one row (x values, target, prediction) and the cost history."""
        self.target.set_data(xs, np.ravel(target))
        self.pred.set_data(xs, np.ravel(pred))
        self.ax_fit.set_xlim(xs[0], xs[-1])
        if len(history):
            self.cost.set_data(np.arange(len(history)), history)
            self.ax_cost.set_xlim(0, max(len(history) - 1, 1))
            low, high = min(history), max(history)
            self.ax_cost.set_ylim(low / 1.5, high * 1.5)
        else:
            self.cost.set_data([], [])
        return self.fig

    def show_result(self, result, history: Sequence[float]) -> Figure:
        """``update`` from a ``StepResult``: row 0 of its batch and prediction."""
        return self.update(result.batch.xs[0], result.batch.res[0], result.pred[0], history)


def plot_costs(history: Sequence[float], ax=None, label: str | None = None, **style):
    """The cost per iteration on a log scale."""
    ax = ax or plt.subplots(figsize=(6, 3), layout="constrained")[1]
    ax.plot(np.arange(len(history)), history, label=label, **style)
    ax.set(xlabel="iteration", ylabel="cost", yscale="log")
    ax.grid(alpha=0.3)
    return ax


def prediction_animation(frames: Sequence[tuple[np.ndarray, np.ndarray, np.ndarray]],
                         costs: Sequence[float] | None = None, interval: int = 120,
                         figsize: tuple[float, float] = (7, 3)) -> str:
    """An HTML player (matplotlib's ``to_jshtml``) of the original's scrolling view:
    each frame is (xs, target, prediction) for row 0 of one iteration's batch.

    The player needs no kernel and no network: the link to a web font that
    ``to_jshtml`` adds for its button icons is removed (the book's theme
    provides the same icons)."""
    fig, ax = plt.subplots(figsize=figsize, layout="constrained")
    (target,) = ax.plot([], [], **TARGET)
    (pred,) = ax.plot([], [], **PREDICTION)
    ax.set(xlabel="x", ylabel="value", ylim=(-1.6, 1.6))
    ax.legend(loc="lower left", fontsize=8)
    title = ax.set_title("")

    def draw(k: int):
        xs, res, out = frames[k]
        target.set_data(xs, np.ravel(res))
        pred.set_data(xs, np.ravel(out))
        ax.set_xlim(xs[0], xs[-1])
        title.set_text(f"frame {k + 1}" if costs is None else f"cost {costs[k]:.3f}")
        return target, pred, title

    animation = FuncAnimation(fig, draw, frames=len(frames), interval=interval, blit=False)
    html = animation.to_jshtml(default_mode="once")
    plt.close(fig)
    return re.sub(r'<link rel="stylesheet"[^>]*font-awesome[^>]*>\s*', "", html)
