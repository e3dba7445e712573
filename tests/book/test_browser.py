"""Open every built page of every edition in headless Chromium, offline,
and check what a reader sees.

Pages are opened from file:// URLs, as a reader opens the book without a
server. Every http(s) request is recorded and aborted, so nothing can quietly
come from the network.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from bookpages import (
    COUNT_WIDGETS,
    ENGLISH,
    EXTRA_PAGES,
    TRANSLATIONS,
    in_every_edition,
    open_rendered,
    page_path,
    toc_docnames,
)

pytestmark = [pytest.mark.book, pytest.mark.browser]

# index.html only redirects to the first page;
# test_index_opens_the_first_page opens it.
PAGES = in_every_edition(
    toc_docnames() + [name for name in EXTRA_PAGES if name != "index"]
)
ANIMATION_PAGE = "notebooks/04_training"


def _is_local(url: str) -> bool:
    return url.startswith(("file:", "data:", "blob:", "about:"))


@dataclass
class PageLog:
    """What a page did while it loaded."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)

    def on_console(self, message) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def on_page_error(self, error) -> None:
        self.page_errors.append(str(error))

    def on_request(self, request) -> None:
        if not _is_local(request.url):
            self.remote_requests.append(request.url)

    def on_request_failed(self, request) -> None:
        if _is_local(
            request.url
        ):  # remote ones fail on purpose: see open_page
            self.failed_requests.append(f"{request.url} ({request.failure})")


@pytest.fixture
def open_page(browser):
    """Open a built page with its console, errors and requests recorded."""
    contexts = []

    def _open(docname: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        context.route(
            "http*://**/*", lambda route: route.abort()
        )  # recorded by on_request
        log = PageLog()
        page = context.new_page()
        page.on("console", log.on_console)
        page.on("pageerror", log.on_page_error)
        page.on("request", log.on_request)
        page.on("requestfailed", log.on_request_failed)
        mathjax = open_rendered(page, page_path(docname).as_uri())
        return page, log, mathjax

    yield _open
    for context in contexts:
        context.close()


@pytest.mark.parametrize("docname", PAGES)
def test_page_renders_offline_without_errors(open_page, docname: str) -> None:
    assert page_path(docname).is_file(), f"{docname}.html was not built"
    page, log, mathjax = open_page(docname)

    assert not log.remote_requests, (
        f"{docname} requested from the network: {log.remote_requests}"
    )
    assert not log.failed_requests, (
        f"{docname}: local files failed to load: {log.failed_requests}"
    )
    assert not log.page_errors, (
        f"{docname}: uncaught JavaScript errors: {log.page_errors}"
    )
    assert not log.console_errors, (
        f"{docname}: console errors: {log.console_errors}"
    )

    math = page.locator(".math").count()
    if math:
        assert mathjax == "typeset", (
            f"{docname} has {math} math elements: {mathjax}"
        )
        untypeset = page.evaluate(
            "[...document.querySelectorAll('.math')]"
            ".filter(e => !e.querySelector('mjx-container'))"
            ".map(e => e.textContent)"
        )
        assert not untypeset, (
            f"{docname}: math MathJax did not typeset: {untypeset}"
        )
        assert page.locator("mjx-merror").count() == 0, (
            f"{docname}: MathJax reports TeX errors"
        )

    widgets, live = page.evaluate(COUNT_WIDGETS)
    assert live == widgets, f"{docname}: {live} of {widgets} widgets live"


@pytest.mark.parametrize(
    "folder", ["", *TRANSLATIONS.values()], ids=lambda f: f or ENGLISH
)
def test_index_opens_the_first_page(browser, build_html: Path, folder) -> None:
    first = build_html / folder / f"{toc_docnames()[0]}.html"
    page = browser.new_page()
    try:
        page.goto((build_html / folder / "index.html").as_uri())
        page.wait_for_url(first.as_uri(), timeout=10_000)
    finally:
        page.close()


def test_training_animation_plays(open_page) -> None:
    page, _, _ = open_page(ANIMATION_PAGE)
    sliders = page.locator('input[type="range"][id^="_anim_slider"]')
    if sliders.count() == 0:
        pytest.skip(f"{ANIMATION_PAGE} has no to_jshtml animation yet")

    slider_id = sliders.first.get_attribute("id")
    anim_id = slider_id.removeprefix("_anim_slider")
    player = f"window['anim{anim_id}']"
    page.wait_for_function(f"() => {player} !== undefined", timeout=5_000)
    frames = page.evaluate(f"{player}.frames.length")
    assert frames > 1, (
        f"the animation on {ANIMATION_PAGE} has {frames} frame(s)"
    )

    def state() -> tuple[int, str]:
        return page.evaluate(
            f"""() => [parseInt(document.getElementById('{slider_id}').value),
                       document.getElementById('_anim_img{anim_id}').src]"""
        )

    frame0, image0 = state()
    animation = page.locator(".animation", has=sliders.first)
    animation.locator('button[title="Play"]').click()
    page.wait_for_function(
        f"() => parseInt(document.getElementById('{slider_id}').value)"
        f" !== {frame0}",
        timeout=10_000,
    )
    animation.locator('button[title="Pause"]').click()
    frame1, image1 = state()
    assert frame1 != frame0, "pressing Play did not move the slider"
    assert image1 != image0, (
        "pressing Play moved the slider but not the picture"
    )
