"""The explorer chapter in JupyterLab, driven in Debian's Chromium as a
learner drives it: before its cells run, after Run All, Step, Play and Pause,
a refused value, a blow-up, the cell run again while Play runs, Kernel >
Interrupt and Kernel > Restart. The browser console stays clean and nothing
is requested off the machine.

    make lab    (or: .venv/bin/pytest -q tests/lab)

The tests share one page and run in the order they are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bookpages import CHROMIUM, launch_chromium
from labserver import processes_under, running_lab

pytestmark = pytest.mark.lab

NOTEBOOK = "05_explorer.ipynb"
IDLE = ".jp-StatusBar-Widget:has-text('| Idle')"
VIEW = (
    "(document.querySelector('.jp-OutputArea .sincos-widget') || {}).explorer"
)
# Every code cell whose code is shown shows an execution count (the cells
# of the exercises' solutions are collapsed and show none; the kernel going
# idle afterwards says they have run too).
ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell')]
        .filter(cell => !cell.querySelector('.jp-InputPlaceholder'))
        .map(cell => cell.querySelector('.jp-InputPrompt').textContent);
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
}"""


@dataclass
class BrowserLog:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
def lab():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    with running_lab() as lab:
        yield lab
    left = processes_under(lab.root.parent)
    assert not left, f"processes left behind: {left}"


@pytest.fixture(scope="module")
def session(lab):
    """The explorer chapter, opened, and what the browser logged."""
    from playwright.sync_api import sync_playwright

    log = BrowserLog()
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.on(
            "console",
            lambda m: m.type == "error" and log.console_errors.append(m.text),
        )
        page.on("pageerror", lambda e: log.page_errors.append(str(e)))
        page.route("**/*", lambda route: _local_only(route, lab.url, log))
        page.goto(lab.url + "lab/tree/" + NOTEBOOK)
        page.wait_for_selector(IDLE, timeout=120_000)
        yield page, log
        browser.close()


def _local_only(route, base_url: str, log: BrowserLog) -> None:
    url = route.request.url
    if url.startswith((base_url, "data:", "blob:")):
        route.continue_()
    else:
        log.remote_requests.append(url)
        route.abort()


def _menu(page, menu: str, item: str) -> None:
    page.click(f"li[role=menuitem] >> text={menu}")
    page.click(f"li[role=menuitem] >> text={item}")


def _run(page, code: str) -> str:
    """Run code in a new cell at the end of the notebook; what it printed."""
    cells = page.locator(".jp-Notebook .jp-Cell")
    count = cells.count()
    cells.last.locator(".jp-InputPrompt").click()  # command mode, selected
    page.keyboard.press("b")  # a new cell below it
    page.wait_for_function(
        f"() => document.querySelectorAll('.jp-Notebook .jp-Cell').length"
        f" > {count}"
    )
    page.keyboard.press("Enter")  # edit it
    page.keyboard.insert_text(code)
    page.keyboard.press("Control+Enter")
    page.wait_for_function(
        "() => /\\[\\d+\\]/.test([...document.querySelectorAll("
        "'.jp-Notebook .jp-Cell')].pop().querySelector('.jp-InputPrompt')"
        ".textContent)",
        timeout=120_000,
    )
    page.wait_for_selector(IDLE, timeout=120_000)
    return cells.last.locator(".jp-OutputArea").text_content()


def _explorer(page):
    """The explorer, scrolled into view (JupyterLab may not lay out cells
    out of view)."""
    explorer = page.locator(".jp-OutputArea .sincos-widget").first
    explorer.scroll_into_view_if_needed()
    return explorer


def _idle_view(page) -> None:
    page.wait_for_function(
        f"() => {{ const v = {VIEW}; return v && !v.playing && "
        "v.pending === 0 && v.inFlight === 0 && !v.settling; }",
        timeout=60_000,
    )


def _status(page) -> str:
    # textContent: JupyterLab may skip laying out cells out of view, and
    # innerText is empty there.
    return _explorer(page).locator(".sw-status").text_content()


def _history(page) -> int:
    return page.evaluate(f"{VIEW}.history.length")


def _type_into(page, label: str, text: str) -> None:
    box = _explorer(page).get_by_label(label)
    box.fill(text)
    box.press("Enter")


def test_before_its_cell_runs_the_output_says_what_will_be_there(session):
    page, _ = session
    output = page.locator(".jp-OutputArea-output").first
    text = output.text_content()
    assert text.startswith("Training explorer"), text
    assert "run this cell" in text and "VBox" not in text


def test_run_all_shows_the_live_explorer_where_the_cells_left_it(session):
    page, _ = session
    page.keyboard.press("Control+b")  # hide the file browser
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(ALL_CELLS_RAN, timeout=300_000)
    page.wait_for_selector(IDLE, timeout=120_000)
    stderr = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert stderr.count() == 0, stderr.all_inner_texts()
    assert page.locator(".jp-OutputArea .sincos-widget canvas").count() == 2
    printed = _run(page, "print(len(explorer.trainer.history))")
    trained = int(printed.strip())
    assert trained > 0 and _history(page) == trained
    assert f"({trained} trained)" in _explorer(page).text_content()


def test_step_trains_a_click_and_draws_it(session):
    page, _ = session
    before = _history(page)
    steps = int(_explorer(page).get_by_label("steps/click").input_value())
    canvases = _explorer(page).evaluate(
        "w => [...w.querySelectorAll('canvas')].map(c => c.toDataURL())"
    )
    _explorer(page).get_by_role("button", name="Step").click()
    _idle_view(page)
    assert _history(page) == before + steps
    assert _status(page) == f"Trained {steps} iterations."
    after = _explorer(page).evaluate(
        "w => [...w.querySelectorAll('canvas')].map(c => c.toDataURL())"
    )
    assert after[0] != canvases[0] and after[1] != canvases[1]


def test_play_runs_until_pause_then_the_kernel_rests(session):
    page, _ = session
    before = _history(page)
    _explorer(page).get_by_role("button", name="Play").click()
    page.wait_for_function(f"() => {VIEW}.history.length >= {before + 30}")
    _explorer(page).get_by_role("button", name="Pause").click()
    _idle_view(page)
    stopped = _history(page)
    assert _status(page) == f"Paused: iteration {stopped} is next."
    page.wait_for_timeout(1000)
    assert _history(page) == stopped
    assert _run(page, "print(explorer.trainer.iteration)").strip() == str(
        stopped
    )


def test_a_refused_value_is_named_and_the_model_kept(session):
    page, _ = session
    before = _history(page)
    _type_into(page, "learning rate", "abc")
    assert _status(page) == (
        'learning rate must be a finite positive number, got "abc". '
        "Kept 0.006."
    )
    _type_into(page, "steps/click", "1")
    _explorer(page).get_by_role("button", name="Step").click()
    _idle_view(page)
    assert _history(page) == before + 1


def test_a_blow_up_stops_training_and_says_why(session):
    page, _ = session
    _type_into(page, "learning rate", "100000")
    _idle_view(page)
    assert _status(page).startswith("New model with learning rate 100000")
    assert _history(page) == 0
    _explorer(page).get_by_role("button", name="Play").click()
    _idle_view(page)
    assert re.match(
        r"Stopped at iteration \d+: the cost (reached|is no longer)",
        _status(page),
    ), _status(page)
    _explorer(page).get_by_role("button", name="Play").click()
    assert "stopped training before" in _status(page)


def test_running_the_cell_again_while_playing_stops_the_old_one(session):
    page, _ = session
    _type_into(page, "learning rate", "0.006")
    _idle_view(page)
    _run(page, "old = explorer")
    _explorer(page).get_by_role("button", name="Play").click()
    page.wait_for_function(f"() => {VIEW}.history.length >= 10")
    cell = page.locator(".jp-CodeCell").filter(
        has=page.locator(".sincos-widget")
    )
    cell.first.locator(".jp-InputArea-editor").click()
    page.keyboard.press("Control+Enter")
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_function(f"() => {VIEW} && {VIEW}.history.length === 0")
    counts = _run(
        page,
        "import time\na = old.trainer.iteration\ntime.sleep(1)\n"
        "print(a, old.trainer.iteration, explorer.trainer.iteration)",
    ).split()
    assert counts[0] == counts[1], f"the old explorer went on: {counts}"
    assert counts[2] == "0"


def test_kernel_interrupt_stops_play(session):
    page, _ = session
    _explorer(page).get_by_role("button", name="Play").click()
    page.wait_for_function(f"() => {VIEW}.history.length >= 10")
    _menu(page, "Kernel", "Interrupt Kernel")
    _idle_view(page)
    stopped = _history(page)
    assert _status(page) == (
        f"Stopped by Kernel > Interrupt; iteration {stopped} is next."
    )
    page.wait_for_timeout(1000)
    assert _history(page) == stopped


def test_after_a_restart_the_explorer_says_it_is_gone(session):
    page, _ = session
    _explorer(page).get_by_role("button", name="Play").click()
    page.wait_for_function(f"() => {VIEW}.history.length >= 5")
    _menu(page, "Kernel", "Restart Kernel…")
    page.locator(".jp-Dialog button.jp-mod-accept").click()
    page.wait_for_function(f"() => {VIEW}.lost", timeout=60_000)
    assert _status(page).startswith("The kernel of this explorer has stopped")
    controls = _explorer(page).locator("button, input, select")
    assert controls.count() > 0
    assert all(control.is_disabled() for control in controls.all())


@pytest.mark.parametrize("width", [800, 390])
def test_it_fits_the_width_without_cut_off_text(session, width):
    page, _ = session
    page.set_viewport_size({"width": width + 40, "height": 900})
    page.wait_for_timeout(300)  # the layout settles
    cut = _explorer(page).evaluate(
        "w => [w, ...w.querySelectorAll('*')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1)"
        ".map(e => e.className + ': ' + e.textContent.slice(0, 40))"
    )
    assert cut == []
    box = _explorer(page).bounding_box()
    assert box["x"] + box["width"] <= width + 40


def test_the_browser_logged_no_error_and_asked_nothing_remote(session):
    _, log = session
    assert log.console_errors == []
    assert log.page_errors == []
    assert log.remote_requests == []
