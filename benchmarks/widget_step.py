"""How long a Step click of the training explorer takes, and how soon Pause
stops a long click, side by side in one run.

    .venv/bin/python benchmarks/widget_step.py [--clicks N] [--pauses N]

The controls are called directly (no kernel, no browser).

Step click, at the tutorial's settings and one iteration per click. After a
warm-up (tracing, and the first iterations, whose cost labels change most),
each round times, in turn:
- train only: ``trainer.run(1)``, one iteration of the compiled loop;
- redraw only: ``explorer.redraw()``, the lines moved and the two PNGs put
  into the output widgets;
- click total: ``explorer.click_step()``, one iteration, the redraw and the
  labels.
Then, for comparison, the same figure drawn from scratch as
``out.append_display_data(fig)`` would under the inline backend (a full draw
with its layout, ``bbox_inches="tight"``, at the same 2x pixel density).

Long click, at the largest settings the explorer allows (cell size 256, 500
iterations per click), Pause pressed at a random moment, two ways: the Step
and Play/Pause buttons clicked on an event loop running in its own thread,
as the kernel handles clicks (the click trains as a task of that loop), and
``click_step()`` on one thread with Pause pressed from another, as a click
from a cell and a click handled on another thread are. Reported: the length
of the chunks the clicks trained in, and the Pause latency, from the press
until the status line says "Paused" (after the chunk in progress and its
redraw).

Medians in ms, wall clock and the process's CPU time where both apply (the
two differ when other programs share the CPU).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import threading
import time
from collections.abc import Callable

from sincos import Hyperparams


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


def step_clicks(clicks: int, warmup: int) -> None:
    from sincos.widgets import TrainingExplorer

    explorer = TrainingExplorer()
    for _ in range(warmup):
        explorer.click_step()
    full_draws = count_full_draws(explorer.renderer)
    rows: dict[str, list[tuple[float, float]]] = {
        "train only": [],
        "redraw only": [],
        "click total": [],
    }
    for _ in range(clicks):
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
        for _ in range(max(clicks // 5, 5))
    ]
    print(
        f"Step click: {clicks} rounds after {warmup} warm-up clicks, "
        f"iterations {warmup} to {explorer.trainer.iteration - 1}; "
        f"medians in ms"
    )
    print(f"{'':30s} {'wall':>8s} {'CPU':>8s}")
    for name, samples in rows.items():
        wall, cpu = medians(samples)
        print(f"{name:30s} {wall:8.1f} {cpu:8.1f}")
    print(
        f"redraws that laid the figure out again: {full_draws[0]} "
        f"of {2 * clicks}"
    )


def pause_latency(pauses: int, seed: int = 0) -> None:
    from sincos.widgets import (
        MAX_CELL_SIZE,
        MAX_STEPS_PER_CLICK,
        TrainingExplorer,
    )

    explorer = TrainingExplorer(Hyperparams(cell_size=MAX_CELL_SIZE))
    explorer.set_steps_per_click(MAX_STEPS_PER_CLICK)
    chunks: list[float] = []  # ms per chunk
    run = explorer.trainer.run

    def timed_run(n: int):
        started = time.perf_counter()
        try:
            return run(n)
        finally:
            chunks.append(1000 * (time.perf_counter() - started))

    explorer.trainer.run = timed_run
    cpu = time.process_time()
    explorer.click_step()  # a whole click first: tracing, and the speed
    click = sum(chunks) / 1000, time.process_time() - cpu
    chunks.clear()
    paused = threading.Event()
    explorer.status.observe(
        lambda _: (
            explorer.status_message.startswith("Paused") and paused.set()
        ),
        names="value",
    )
    loop = asyncio.new_event_loop()
    kernel = threading.Thread(target=loop.run_forever)
    kernel.start()
    rng = random.Random(seed)
    latencies: dict[str, list[float]] = {"same loop": [], "other thread": []}
    for _ in range(pauses):
        for where, samples in latencies.items():
            explorer.click_reset()
            paused.clear()
            if where == "same loop":  # the buttons, on the kernel's loop
                loop.call_soon_threadsafe(explorer.step_button.click)
            else:  # click_step() in a cell, Pause from another thread
                clicking = threading.Thread(target=explorer.click_step)
                clicking.start()
            time.sleep(rng.uniform(0.5, 2.0))
            started = time.perf_counter()
            if where == "same loop":
                loop.call_soon_threadsafe(explorer.play_button.click)
            else:
                explorer.set_playing(False)
            paused.wait()
            samples.append(1000 * (time.perf_counter() - started))
            if where == "other thread":
                clicking.join()
    loop.call_soon_threadsafe(loop.stop)
    kernel.join()
    print(
        f"\nLong click: cell size {MAX_CELL_SIZE}, {MAX_STEPS_PER_CLICK} "
        f"iterations per click (a whole click: {click[0]:.1f} s of "
        f"training, {click[1]:.1f} s CPU with its redraws); Pause pressed "
        f"{pauses} times each way"
    )
    print(f"{'ms':38s} {'median':>8s} {'max':>8s}")
    rows = [(f"chunk length ({len(chunks)} chunks)", chunks)]
    rows += [
        (f"Pause latency, {where}", samples)
        for where, samples in latencies.items()
    ]
    for name, samples in rows:
        print(
            f"{name:38s} {statistics.median(samples):8.1f} {max(samples):8.1f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--clicks", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=30)
    parser.add_argument("--pauses", type=int, default=10)
    args = parser.parse_args()
    step_clicks(args.clicks, args.warmup)
    if args.pauses:
        pause_latency(args.pauses)


if __name__ == "__main__":
    main()
