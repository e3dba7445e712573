"""How every page of the built book looks at a desktop and at a phone width.

At 1280 px nothing in the content column is cut off (no block wider than its
box, no box that hides part of its content), figures are SVG shown at least
at the size they were drawn, with text of 10 px or more, and every image has
alt text. At 390 px no page scrolls sideways and nothing is cut off but code
and display equations, which scroll in their own boxes. Widgets in the
static book are marked as pictures and do not respond to clicks. Each page
of each edition is opened once per width.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote

import pytest
from bookpages import (
    EXTRA_PAGES,
    in_every_edition,
    open_rendered,
    page_path,
    toc_docnames,
)

pytestmark = [pytest.mark.book, pytest.mark.browser]

PAGES = in_every_edition(
    toc_docnames() + [name for name in EXTRA_PAGES if name != "index"]
)
DESKTOP, PHONE = 1280, 390
MIN_TEXT_PX = 10.0
# A figure shown at 99 % of its drawn width or more counts as not shrunk
# (rounding of the column's width).
MIN_SCALE = 0.99

# Everything in the content column (the search page's: the search form and
# results) that is cut off: elements that stick out past the column (unless a
# box around them clips them) and boxes that hide part of their content
# (scrolling or clipping it), except boxes that match `scrolls`. MathJax's
# invisible MathML copy of each formula is set aside while measuring.
CUT_OFF = """(scrolls) => {
    const article = document.querySelector(
        'article.bd-article, .bd-search-container');
    const box = article.getBoundingClientRect();
    const style = getComputedStyle(article);
    const right = box.right - parseFloat(style.paddingRight);
    const clips = el => getComputedStyle(el).overflowX !== 'visible';
    const longest = el => el.textContent.split('\\n')
        .reduce((a, b) => (b.length > a.length ? b : a), '');
    const describe = (el, px, how) => `${el.tagName.toLowerCase()} ${how} `
        + `by ${px} px: ` + (el.tagName === 'PRE'
            ? `its longest line has ${longest(el).length} characters: `
              + longest(el).trim().slice(0, 60)
            : el.textContent.trim().slice(0, 60));
    const hide = document.createElement('style');
    hide.textContent = 'mjx-assistive-mml { display: none !important; }';
    document.head.appendChild(hide);
    const cut = [];
    for (const el of article.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || getComputedStyle(el).visibility !== 'visible') {
            continue;
        }
        if (scrolls && el.closest(scrolls)) continue;
        const hidden = el.scrollWidth - el.clientWidth;
        if (clips(el) && el.clientWidth > 0 && hidden > 1) {
            cut.push(describe(el, hidden, 'hides its content'));
            continue;
        }
        if (r.right > right + 1) {
            let parent = el.parentElement;
            while (parent !== article && !clips(parent)) {
                parent = parent.parentElement;
            }
            if (parent === article) {
                cut.push(describe(el, Math.round(r.right - right),
                                  'sticks out of the column'));
            }
        }
    }
    hide.remove();
    return {column: right - box.left - parseFloat(style.paddingLeft), cut};
}"""

# On a phone, code and display equations may scroll inside their own box:
# 79 columns of code cannot fit 390 px. Printed output wraps instead.
PHONE_SCROLLS = (
    ".cell_input div.highlight, div:not(.output) > div.highlight, "
    "mjx-container[display='true']"
)

# Every image in the article: its alt text, its drawn and shown widths, and
# what it belongs to.
IMAGES = """() => [...document.querySelectorAll('article.bd-article img')]
    .map(img => ({
        src: img.getAttribute('src') || '',
        alt: img.getAttribute('alt'),
        drawn: img.naturalWidth,
        shown: img.getBoundingClientRect().width,
        kind: img.closest('.animation') ? 'animation' : 'figure',
    }))"""

# Elements that reach past the right edge of the window (the page scrolls
# sideways to show them), unless a box that clips them or a fixed box (a
# closed drawer) holds them.
PAST_THE_WINDOW = """() => {
    const width = document.documentElement.clientWidth;
    const fixed = el => getComputedStyle(el).position === 'fixed';
    const holds = el => fixed(el)
        || getComputedStyle(el).overflowX !== 'visible';
    const found = [];
    for (const el of document.body.querySelectorAll('*')) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.right <= width + 1 || fixed(el)) continue;
        let parent = el.parentElement;
        while (parent && parent !== document.body && !holds(parent)) {
            parent = parent.parentElement;
        }
        if (!parent || parent === document.body) {
            found.push(`${el.tagName.toLowerCase()}.${el.className} `
                + `(right edge ${Math.round(r.right)} px): `
                + el.textContent.trim().slice(0, 50));
        }
    }
    return {scroll: document.documentElement.scrollWidth, width,
            found: found.slice(0, 5)};
}"""

SVG_WIDTH = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"')
SVG_FONT = re.compile(r"font(?:-size)?:[^;\"']*?([\d.]+)px")


@pytest.fixture(scope="module")
def page_at(browser):
    """Open a page at a window width, once per (page, width) in this
    module."""
    contexts, opened = {}, {}

    def _open(docname: str, width: int):
        if width not in contexts:
            contexts[width] = browser.new_context(
                viewport={"width": width, "height": 900}
            )
        if (docname, width) not in opened:
            page = contexts[width].new_page()
            open_rendered(page, page_path(docname).as_uri())
            opened[docname, width] = page
        return opened[docname, width]

    yield _open
    for context in contexts.values():
        context.close()


def smallest_text(svg: str) -> tuple[float, float]:
    """(the smallest font size, the drawing's width), in the SVG's units."""
    width = SVG_WIDTH.search(svg)
    sizes = [float(size) for size in SVG_FONT.findall(svg)]
    assert width and sizes, "an SVG figure without viewBox or text"
    return min(sizes), float(width[1])


def file_name_like(alt: str, src: str) -> bool:
    """An alt text that only repeats the image's file name or path."""
    name = PurePosixPath(unquote(src.split("?")[0])).name
    return alt == src or (bool(name) and alt.endswith(name))


@pytest.mark.parametrize("docname", PAGES)
def test_nothing_in_the_column_is_cut_off_at_1280(page_at, docname) -> None:
    found = page_at(docname, DESKTOP).evaluate(CUT_OFF, None)
    assert not found["cut"], (
        f"{docname}: cut off in the {found['column']:.0f} px column: "
        + "; ".join(found["cut"])
    )


@pytest.mark.parametrize("docname", PAGES)
def test_page_does_not_scroll_sideways_at_390(page_at, docname) -> None:
    page = page_at(docname, PHONE)
    found = page.evaluate(PAST_THE_WINDOW)
    assert found["scroll"] <= found["width"] and not found["found"], (
        f"{docname} is {found['scroll']} px wide in a {found['width']} px "
        f"window: {found['found']}"
    )
    cut = page.evaluate(CUT_OFF, PHONE_SCROLLS)["cut"]
    assert not cut, f"{docname}: cut off at {PHONE} px: " + "; ".join(cut)


@pytest.mark.parametrize("docname", PAGES)
def test_every_image_has_alt_text_that_is_not_a_file_name(
    page_at, docname
) -> None:
    images = page_at(docname, DESKTOP).evaluate(IMAGES)
    bad = [
        f"{image['kind']} {image['src'][:60]} (alt {image['alt']!r})"
        for image in images
        if not (image["alt"] or "").strip()
        or file_name_like(image["alt"], image["src"])
    ]
    assert not bad, f"{docname}: images without real alt text: {bad}"


@pytest.mark.parametrize("docname", PAGES)
def test_figures_are_vector_unshrunk_with_readable_text(
    page_at, docname
) -> None:
    images = page_at(docname, DESKTOP).evaluate(IMAGES)
    problems = []
    for image in images:
        what = f"{image['kind']} {PurePosixPath(image['src'][:80]).name}"
        scale = image["shown"] / image["drawn"]
        if scale < MIN_SCALE:
            problems.append(f"{what} shrunk to {scale:.2f} of its size")
        if image["kind"] != "figure":
            continue
        if not image["src"].endswith(".svg"):
            problems.append(f"{what} is not SVG")
            continue
        svg = (page_path(docname).parent / unquote(image["src"])).read_text(
            encoding="utf-8"
        )
        size, width = smallest_text(svg)
        on_screen = size * image["shown"] / width
        if on_screen < MIN_TEXT_PX:
            problems.append(f"{what}: text of {on_screen:.1f} px on screen")
    assert not problems, f"{docname}: {problems}"


@pytest.mark.parametrize("docname", PAGES)
def test_no_widget_is_a_still_picture(page_at, docname) -> None:
    """A notebook's widget shows as the live widget (its placeholder made
    live by sincos/widgets.js), never as a Jupyter widget view that no
    kernel runs."""
    page = page_at(docname, DESKTOP)
    views = page.locator(
        'script[type="application/vnd.jupyter.widget-view+json"], '
        ".widget-subarea"
    )
    assert views.count() == 0, f"{docname}: a widget shown as a picture"
