"""How fast the book's in-browser explorer trains, and how smoothly it plays.

    make book
    .venv/bin/python benchmarks/browser_explorer.py [--cell-size H]

Opens the built chapter "Interactive explorer" from file:// in Debian's
headless Chromium, as a reader would, and measures on its TensorFlow.js
explorer (book/assets/js/sincos-explorer.js):
- one training iteration, ``trainer.step()`` called in a loop: the median wall
  time, and the CPU time of the page's processes per iteration (steadier than
  wall time when other programs share the CPU);
- Play: the explorer's own Play button for a few seconds, with the times of
  the page's animation frames recorded; the longest gap between two frames is
  the longest the page did not respond. Also the longest the explorer's frame
  (training and drawing) took, and the share of a core the page's processes
  got: on a busy machine the gaps grow by the time the page waits for a
  core;
- memory: TensorFlow.js's tensor count and bytes after the first iterations
  and after ``--memory-iterations`` more (flat when nothing leaks);
- the bytes the explorer's files add to the built book.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "book"))
from bookpages import (  # noqa: E402
    BUILD_HTML,
    launch_chromium,
    missing_build_message,
    page_path,
)

PAGE = "notebooks/05_explorer"
EXPLORER = "document.querySelector('.sincos-explorer').explorer"
STATIC_FILES = (
    "tfjs/tf.es2017.min.js",
    "sincos-weights.js",
    "sincos-explorer.js",
)

# Times `count` calls of trainer.step() (ms each).
TIME_STEPS = f"""count => {{
    const trainer = {EXPLORER}.trainer;
    const times = [];
    for (let i = 0; i < count; i++) {{
        const start = performance.now();
        trainer.step();
        times.push(performance.now() - start);
    }}
    return times;
}}"""

# Presses Play, records animation frame times for `seconds`, presses Pause.
TIME_PLAY = f"""async seconds => {{
    const explorer = {EXPLORER};
    const frames = [];
    let recording = true;
    const record = now => {{
        frames.push(now);
        if (recording) requestAnimationFrame(record);
    }};
    requestAnimationFrame(record);
    const work = [];
    const frame = explorer._frame.bind(explorer);
    explorer._frame = () => {{
        const start = performance.now();
        frame();
        work.push(performance.now() - start);
    }};
    const first = explorer.trainer.iteration;
    explorer.playButton.click();
    await new Promise(done => setTimeout(done, 1000 * seconds));
    explorer.playButton.click();
    recording = false;
    delete explorer._frame;
    const gaps = frames.slice(1).map((t, k) => t - frames[k]);
    return {{gaps, work, iterations: explorer.trainer.iteration - first}};
}}"""

MEMORY = "() => { const m = tf.memory(); return [m.numTensors, m.numBytes]; }"


def renderer_cpu_seconds(cdp) -> float:
    """CPU time so far of the browser's renderer processes."""
    info = cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    return sum(p["cpuTime"] for p in info if p["type"] == "renderer")


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0].replace("\n", " ")
    )
    parser.add_argument("--cell-size", type=int, default=10)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--play-seconds", type=float, default=5.0)
    parser.add_argument("--memory-iterations", type=int, default=2000)
    args = parser.parse_args()
    message = missing_build_message()
    if message:
        print(message, file=sys.stderr)
        return 1

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        cdp = browser.new_browser_cdp_session()
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(page_path(PAGE).as_uri())
        page.wait_for_function(f"() => {EXPLORER} !== undefined")
        page.evaluate(f"{EXPLORER}.setCellSize({args.cell_size})")
        print(f"cell size {page.evaluate(f'{EXPLORER}.trainer.cellSize')}")

        page.evaluate(TIME_STEPS, 10)  # warm-up: compile, first allocations
        cpu = renderer_cpu_seconds(cdp)
        times = page.evaluate(TIME_STEPS, args.iterations)
        cpu = renderer_cpu_seconds(cdp) - cpu
        print(
            f"one iteration ({args.iterations} after 10 warm-up): median "
            f"{statistics.median(times):.1f} ms wall (min {min(times):.1f}, "
            f"max {max(times):.1f}); "
            f"{1000 * cpu / args.iterations:.1f} ms CPU"
        )

        cpu = renderer_cpu_seconds(cdp)
        play = page.evaluate(TIME_PLAY, args.play_seconds)
        cpu = renderer_cpu_seconds(cdp) - cpu
        gaps = play["gaps"]
        print(
            f"Play for {args.play_seconds:g} s: {play['iterations']} "
            f"iterations in {len(gaps)} frames; gap between frames: median "
            f"{statistics.median(gaps):.0f} ms, 95th percentile "
            f"{statistics.quantiles(gaps, n=20)[-1]:.0f} ms, longest "
            f"{max(gaps):.0f} ms; "
            f"explorer's frame work: median "
            f"{statistics.median(play['work']):.0f} ms, longest "
            f"{max(play['work']):.0f} ms; the page got "
            f"{100 * cpu / args.play_seconds:.0f}% of a core"
        )

        before = page.evaluate(MEMORY)
        left = args.memory_iterations
        while left:
            chunk = min(left, 200)
            page.evaluate(TIME_STEPS, chunk)
            left -= chunk
        after = page.evaluate(MEMORY)
        print(
            f"memory (tensors, bytes): {tuple(before)} before and "
            f"{tuple(after)} after {args.memory_iterations} more iterations"
        )
        browser.close()

    sizes = {
        name: (BUILD_HTML / "_static" / name).stat().st_size
        for name in STATIC_FILES
    }
    listed = ", ".join(f"{name} {size:,}" for name, size in sizes.items())
    print(f"bytes added to the book: {sum(sizes.values()):,} ({listed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
