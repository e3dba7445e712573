"""The explorer chapter in JupyterLab, driven in Debian's Chromium: every cell
runs without an error, Step changes the figure, the browser console stays
clean, nothing is requested off the machine, and the widgets lay out at 800
and 390 px.

    make lab    (or: .venv/bin/pytest -q tests/lab)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bookpages import CHROMIUM, launch_chromium
from labserver import processes_under, running_lab

pytestmark = pytest.mark.lab

NOTEBOOK = "05_explorer.ipynb"
# Every code cell whose code is shown shows an execution count (the cells
# of the exercises' solutions are collapsed and show none; the kernel going
# idle afterwards says they have run too).
ALL_CELLS_RAN = """() => {
    const prompts = [...document.querySelectorAll('.jp-CodeCell')]
        .filter(cell => !cell.querySelector('.jp-InputPlaceholder'))
        .map(cell => cell.querySelector('.jp-InputPrompt').textContent);
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p));
}"""
# What the widgets of the page look like: for each top-level box, its
# width, the elements inside it whose content is cut or scrolls sideways,
# and its images as [natural width, shown width].
LAYOUT = """() => [...document.querySelectorAll('.sincos-widget')].map(w => ({
    width: w.getBoundingClientRect().width,
    cut: [w, ...w.querySelectorAll('*')]
        .filter(e => e.scrollWidth > e.clientWidth + 1)
        .map(e => e.className + ': ' + e.textContent.slice(0, 40)),
    images: [...w.querySelectorAll('img')].map(
        i => [i.naturalWidth, i.getBoundingClientRect().width]),
}))"""


# The first widget's first image and its text.
FIRST_WIDGET = """() => {
    const widget = document.querySelector('.sincos-widget');
    return {image: widget.querySelector('img').src, text: widget.innerText};
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
def page(lab):
    """The explorer chapter after Run All Cells, and what the browser
    logged."""
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
        _run_all_cells(page)
        yield page, log
        browser.close()


def _local_only(route, base_url: str, log: BrowserLog) -> None:
    url = route.request.url
    if url.startswith((base_url, "data:", "blob:")):
        route.continue_()
    else:
        log.remote_requests.append(url)
        route.abort()


def _run_all_cells(page) -> None:
    kernel_idle = ".jp-StatusBar-Widget:has-text('| Idle')"
    page.wait_for_selector(kernel_idle, timeout=120_000)
    page.keyboard.press("Control+b")  # hide the file browser
    _menu(page, "Edit", "Clear Outputs of All Cells")
    _menu(page, "Run", "Run All Cells")
    page.wait_for_function(ALL_CELLS_RAN, timeout=300_000)
    page.wait_for_selector(kernel_idle, timeout=120_000)


def _menu(page, menu: str, item: str) -> None:
    page.click(f"li[role=menuitem] >> text={menu}")
    page.click(f"li[role=menuitem] >> text={item}")


def test_every_cell_runs_without_an_error_output(page):
    page, _ = page
    errors = page.locator(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
    )
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.locator(".sincos-widget").count() == 1  # the explorer


def test_step_changes_the_figure(page):
    page, _ = page
    explorer = page.locator(".sincos-widget").first
    before = page.evaluate(FIRST_WIDGET)
    explorer.locator("button", has_text="Step").click()
    page.wait_for_function(
        f"before => {{ const now = ({FIRST_WIDGET})(); "
        "return now.image !== before.image && now.text !== before.text; }",
        arg=before,
        timeout=60_000,
    )


@pytest.mark.parametrize("width", [800, 390])
def test_widgets_fit_the_width_without_cut_off_text(page, width):
    """At 800 px every image shows at its CSS size; at 390 px (a phone's
    screen) images shrink to fit; at both, no text is cut off and nothing
    scrolls sideways."""
    page, _ = page
    if width == 800:  # make the widget itself 800 px wide
        page.set_viewport_size({"width": 1000, "height": 900})
        widget = page.evaluate(LAYOUT)[0]["width"]
        page.set_viewport_size({"width": 1800 - round(widget), "height": 900})
    else:
        page.set_viewport_size({"width": width, "height": 900})
    page.locator(".sincos-widget").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)  # the layout settles
    widgets = page.evaluate(LAYOUT)
    if width == 800:
        assert widgets[0]["width"] == pytest.approx(800, abs=1)
    for widget in widgets:
        assert widget["cut"] == [], widget
        for natural, shown in widget["images"]:
            assert shown <= natural / 2 + 0.5
            if width == 800:
                assert shown == pytest.approx(natural / 2, abs=0.5)


def test_the_browser_logged_no_error_and_asked_nothing_remote(page):
    _, log = page
    assert log.console_errors == []
    assert log.page_errors == []
    assert log.remote_requests == []
