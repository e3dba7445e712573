"""How quickly the widgets answer a click, and how smoothly Play draws: in the
built book (TensorFlow.js in the page) and in JupyterLab (the kernel's
Trainer), side by side in one run, in Debian's headless Chromium.

    make book
    .venv/bin/python benchmarks/widgets_speed.py [--repeats N] [--play S]

For each place, medians over N clicks or keys:
- explorer Step (steps/click 1): click to new text (the status line) and
  click to new pixels of the figure;
- explorer Play: frames with new pixels per second over S seconds, and the
  iterations trained;
- batch stepper Next batch, and an arrow key on its row slider; time-step
  viewer, an arrow key on its slider: key or click to new pixels.
In JupyterLab also the kernel's CPU (share of one core over the second that
follows) while Play runs, and within 1 s of Pause, of running the
explorer's cell again while Play runs, of reloading the tab and of closing
it while Play runs.

New pixels are found by reading a sample of the canvas's pixels at every
animation frame, so a time is at least one frame (about 17 ms at 60 frames a
second). The machine's other work adds to every time: compare the rows of
one run, not runs on different machines.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "book"))
sys.path.insert(0, str(ROOT / "tests" / "lab"))
from bookpages import launch_chromium, missing_build_message, page_path  # noqa: E402

PAGES = {
    "explorer": "notebooks/05_explorer",
    "batch-stepper": "notebooks/02_data",
    "time-steps": "notebooks/03_model",
}

# (ms to new text, ms to new pixels) of `act` on the widget `selector`.
TIME_ACTION = """async ([selector, act, textSelector]) => {
    const root = document.querySelector(selector);
    root.scrollIntoView({block: 'center'});
    await new Promise(r => requestAnimationFrame(r));
    await new Promise(r => requestAnimationFrame(r));
    const canvases = [...root.querySelectorAll('canvas')];
    const sample = () => canvases.map(c => {
        const ctx = c.getContext('2d');
        const d = ctx.getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let k = 0; k < d.length; k += 97) sum = (sum * 31 + d[k]) % 1e9;
        return sum;
    }).join();
    const text = () => root.querySelector(textSelector).textContent;
    const [pixels0, text0] = [sample(), text()];
    const start = performance.now();
    let textAt = null;
    const textChanged = new MutationObserver(() => {
        if (textAt === null && text() !== text0) {
            textAt = performance.now() - start;
        }
    });
    textChanged.observe(root, {subtree: true, childList: true,
                               characterData: true});
    eval(act);
    for (let frame = 0; frame < 600; frame++) {
        await new Promise(r => requestAnimationFrame(r));
        if (sample() !== pixels0) {
            textChanged.disconnect();
            return [textAt, performance.now() - start];
        }
    }
    textChanged.disconnect();
    return [textAt, null];
}"""

# Frames with new pixels per second while Play runs for `seconds`.
TIME_PLAY = """async ([selector, seconds]) => {
    const root = document.querySelector(selector);
    const view = root.explorer;
    const canvases = [...root.querySelectorAll('canvas')];
    const sample = () => canvases.map(c => {
        const d = c.getContext('2d')
            .getImageData(0, 0, c.width, c.height).data;
        let sum = 0;
        for (let k = 0; k < d.length; k += 97) sum = (sum * 31 + d[k]) % 1e9;
        return sum;
    }).join();
    const first = view.history.length;
    view.setPlaying(true);
    let last = sample(), frames = 0;
    const end = performance.now() + 1000 * seconds;
    while (performance.now() < end) {
        await new Promise(r => requestAnimationFrame(r));
        const now = sample();
        if (now !== last) frames++;
        last = now;
    }
    view.setPlaying(false);
    return [frames / seconds, view.history.length - first];
}"""

EXPLORER = ".sincos-widget[data-kind=explorer], .jp-OutputArea .sincos-widget"


def median(values) -> float:
    return statistics.median(v for v in values if v is not None)


def widget_times(page, selector: str, repeats: int, clicks: dict) -> None:
    """Print the medians of the actions in `clicks` (name: JS to run, with
    `root` the widget)."""
    for name, (act, text) in clicks.items():
        times = [
            page.evaluate(TIME_ACTION, [selector, act, text])
            for _ in range(repeats)
        ]
        to_text = median(t[0] for t in times)
        to_pixels = median(t[1] for t in times)
        print(
            f"  {name}: new text {to_text:.0f} ms, new pixels "
            f"{to_pixels:.0f} ms (median of {repeats})"
        )


STEP = ("root.explorer.clickStep()", ".sw-status")
NEXT = ("root.stepper.clickNext()", ".sw-info")
ROW_KEY = (
    "root.querySelector('input[type=range]').dispatchEvent(new "
    "KeyboardEvent('keydown', {key: 'ArrowRight'})); root.stepper.setFirstRow("
    "(root.stepper.store.get('first_row') + 1) % 40)",
    ".sw-info",
)
STEP_KEY = (
    "root.viewer.setStep((root.viewer.store.get('step') + 19) % 20)",
    ".sw-info",
)


def book(browser, args) -> None:
    print("book (TensorFlow.js in the page, file://)")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(page_path(PAGES["explorer"]).as_uri())
    selector = ".sincos-widget[data-kind=explorer]"
    page.wait_for_function(
        f"() => document.querySelector('{selector}').explorer"
    )
    page.evaluate(f"document.querySelector('{selector}').explorer.clickStep()")
    page.wait_for_timeout(1000)  # compiled and warm
    widget_times(page, selector, args.repeats, {"explorer Step": STEP})
    fps, iterations = page.evaluate(TIME_PLAY, [selector, args.play])
    print(
        f"  explorer Play: {fps:.1f} frames with new pixels a second, "
        f"{iterations / args.play:.0f} iterations a second"
    )
    for kind, actions in (
        (
            "batch-stepper",
            {"batch stepper Next": NEXT, "batch stepper row key": ROW_KEY},
        ),
        ("time-steps", {"time-step viewer key": STEP_KEY}),
    ):
        page.goto(page_path(PAGES[kind]).as_uri())
        sel = f".sincos-widget[data-kind={kind}]"
        page.wait_for_function(f"() => document.querySelector('{sel} canvas')")
        widget_times(page, sel, args.repeats, actions)
    page.close()


def kernel_cpu(lab, seconds: float = 1.0) -> float:
    """The kernels' CPU over the next `seconds`, in % of one core."""
    from labserver import processes_under

    def cpu() -> float:
        total = 0.0
        for pid in processes_under(lab.root.parent):
            stat = Path(f"/proc/{pid}/cmdline").read_bytes()
            if b"ipykernel" in stat:
                fields = Path(f"/proc/{pid}/stat").read_text().split()
                total += (int(fields[13]) + int(fields[14])) / 100
        return total

    before = cpu()
    time.sleep(seconds)
    return 100 * (cpu() - before) / seconds


IDLE = ".jp-StatusBar-Widget:has-text('| Idle')"
ALL_CELLS_RAN = """() => [...document.querySelectorAll('.jp-CodeCell')]
    .filter(cell => !cell.querySelector('.jp-InputPlaceholder'))
    .every(cell => /\\[\\d+\\]/.test(
        cell.querySelector('.jp-InputPrompt').textContent))"""


def lab_page(browser, lab, notebook: str):
    """A notebook opened in JupyterLab, every cell run."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(lab.url + "lab/tree/" + notebook + "?reset")
    page.wait_for_selector(IDLE, timeout=120_000)
    run_all(page)
    return page


def run_all(page) -> None:
    page.click("li[role=menuitem] >> text=Run")
    page.click("li[role=menuitem] >> text=Run All Cells")
    page.wait_for_function(ALL_CELLS_RAN, timeout=300_000)
    page.wait_for_selector(IDLE, timeout=300_000)
    page.evaluate(
        "document.querySelector('.jp-OutputArea .sincos-widget')"
        ".scrollIntoView({block: 'center'})"
    )


def jupyterlab(browser, args) -> None:
    from labserver import running_lab

    print("JupyterLab (the kernel's Trainer)")
    with running_lab() as lab:
        page = lab_page(browser, lab, "05_explorer.ipynb")
        selector = ".jp-OutputArea .sincos-widget"
        root = f"document.querySelector('{selector}')"
        page.evaluate(f"{root}.explorer.setStepsPerClick('1')")
        widget_times(page, selector, args.repeats, {"explorer Step": STEP})

        def after(event: str) -> None:
            first, second = kernel_cpu(lab), kernel_cpu(lab)
            print(
                f"  kernel CPU after {event}: {first:.0f}% in the first "
                f"second, {second:.0f}% in the next"
            )

        play = f"{root}.explorer.setPlaying(true)"
        page.evaluate(play)
        print(f"  kernel CPU while Play runs: {kernel_cpu(lab):.0f}%")
        page.evaluate(f"{root}.explorer.setPlaying(false)")
        after("Pause")
        fps, iterations = page.evaluate(TIME_PLAY, [selector, args.play])
        print(
            f"  explorer Play: {fps:.1f} frames with new pixels a second, "
            f"{iterations / args.play:.0f} iterations a second"
        )
        page.evaluate(play)
        page.wait_for_timeout(500)
        cell = page.locator(".jp-CodeCell").filter(
            has=page.locator(".sincos-widget")
        )
        cell.first.locator(".jp-InputArea-editor").click()
        page.keyboard.press("Control+Enter")
        after("running the cell again while Play runs")
        page.wait_for_function(f"() => {root} && {root}.explorer")
        page.evaluate(play)
        page.wait_for_timeout(500)
        page.reload()
        after("reloading the tab while Play runs")
        page.wait_for_selector(IDLE, timeout=120_000)
        run_all(page)
        page.evaluate(play)
        page.wait_for_timeout(500)
        page.close()
        after("closing the tab while Play runs")
        for notebook, _kind, actions in (
            (
                "02_data.ipynb",
                "batch stepper",
                {"batch stepper Next": NEXT, "batch stepper row key": ROW_KEY},
            ),
            (
                "03_model.ipynb",
                "time-step viewer",
                {"time-step viewer key": STEP_KEY},
            ),
        ):
            page = lab_page(browser, lab, notebook)
            widget_times(page, selector, args.repeats, actions)
            page.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument("--play", type=float, default=5.0)
    args = parser.parse_args()
    message = missing_build_message()
    if message:
        print(message, file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        book(browser, args)
        jupyterlab(browser, args)
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
