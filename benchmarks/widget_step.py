"""How long a Step click of the training explorer takes, side by side in one
run.

    .venv/bin/python benchmarks/widget_step.py [--clicks N]

The click handler is called directly (no kernel, no browser). After a warm-up
(tracing, and the first iterations, whose cost labels change most), each round
times, in turn:
- train only: ``trainer.run(1)``, one iteration of the compiled loop;
- redraw only: ``explorer.redraw()``, the lines moved and the PNG put into the
  output widget;
- click total: ``explorer.click_step()``, one iteration, the redraw and the
  labels.
Medians in ms, wall clock and the process's CPU time (the two differ when other
programs share the CPU). Then, for comparison, the same figure drawn from
scratch as ``out.append_display_data(fig)`` would under the inline backend (a
full draw with its layout, ``bbox_inches="tight"``).
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable


def timed(fn: Callable[[], object]) -> tuple[float, float]:
    """(wall ms, CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return 1000 * (time.perf_counter() - wall), 1000 * (
        time.process_time() - cpu
    )


def medians(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(
        s[1] for s in samples
    )


def count_full_draws(renderer) -> list[int]:
    """Count the renderer's full draws (layout and background) from now on."""
    count, full_draw = [0], renderer._draw_full

    def counted() -> None:
        count[0] += 1
        full_draw()

    renderer._draw_full = counted
    return count


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--clicks", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=30)
    args = parser.parse_args()

    from sincos.widgets import TrainingExplorer

    explorer = TrainingExplorer()
    for _ in range(args.warmup):
        explorer.click_step()
    full_draws = count_full_draws(explorer.renderer)
    rows: dict[str, list[tuple[float, float]]] = {
        "train only": [],
        "redraw only": [],
        "click total": [],
    }
    for _ in range(args.clicks):
        rows["train only"].append(timed(lambda: explorer.trainer.run(1)))
        rows["redraw only"].append(timed(explorer.redraw))
        rows["click total"].append(timed(explorer.click_step))
    fig = explorer.figure.fig
    rows["full redraw (inline backend)"] = [
        timed(
            lambda: fig.savefig(
                io.BytesIO(), format="png", bbox_inches="tight"
            )
        )
        for _ in range(max(args.clicks // 5, 5))
    ]

    print(
        f"{args.clicks} rounds after {args.warmup} warm-up clicks, iterations "
        f"{args.warmup} to {explorer.trainer.iteration}; medians in ms"
    )
    print(f"{'':30s} {'wall':>8s} {'CPU':>8s}")
    for name, samples in rows.items():
        wall, cpu = medians(samples)
        print(f"{name:30s} {wall:8.1f} {cpu:8.1f}")
    print(
        f"redraws that laid the figure out again: {full_draws[0]} "
        f"of {2 * args.clicks}"
    )


if __name__ == "__main__":
    main()
