"""How every page of the built book looks at a desktop and at a phone width.

At 1280 px nothing in the content column is cut off (no block wider than its
box, no box that hides part of its content), figures are SVG shown at least
at the size they were drawn, with text of 10 px or more, and every image has
alt text. At 390 px no page scrolls sideways and nothing is cut off but
code, printed output, display equations and diagrams, which scroll in their
own boxes and show that they do; printed tables keep their columns; inline
code breaks only at spaces and after . / _; a figure whose text is shown
below 9 px opens full size on a tap; the page title is the largest heading
and the links to the next and previous pages are whole. A notebook's
widgets are live, never a still picture. Each page of each edition is
opened once per width.
"""

from __future__ import annotations

import base64
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

# On a phone, code, printed output, display equations and diagrams may
# scroll inside their own box: 79 columns of code cannot fit 390 px.
PHONE_SCROLLS = "div.highlight, mjx-container[display='true'], .sincos-frame"
# Smallest text in a figure as a phone shows it, without opening it.
MIN_PHONE_TEXT_PX = 9.0

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

# Every box that scrolls sideways, and whether it shows that it does: a
# shadow on the side it hides content behind (on its frame, for an image).
SCROLLERS = """() => [...document.querySelectorAll('article.bd-article *')]
    .filter(el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
        && el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0)
    .map(el => {
        const marked = el.parentElement.classList.contains('sincos-frame')
            ? el.parentElement : el;
        const shadow = marked === el
            ? getComputedStyle(el).boxShadow
            : getComputedStyle(marked, '::after').opacity === '1'
                ? 'overlay' : 'none';
        return {what: `${el.tagName.toLowerCase()}: `
                    + el.textContent.trim().slice(0, 50),
                shadow};
    })"""

# Printed output whose lines were wrapped: its height holds more lines than
# it has.
REWRAPPED = """() => [...document.querySelectorAll(
        'article.bd-article .cell_output pre')]
    .filter(pre => {
        const style = getComputedStyle(pre);
        const lines = pre.textContent.replace(/\\n$/, '').split('\\n').length;
        const inner = pre.clientHeight - parseFloat(style.paddingTop)
            - parseFloat(style.paddingBottom);
        return inner > (lines + 0.5) * parseFloat(style.lineHeight);
    })
    .map(pre => pre.textContent.trim().slice(0, 60))"""

# Places where inline code goes on to a new line: the characters on each
# side of the break.
CODE_BREAKS = """() => {
    const found = [];
    for (const code of document.querySelectorAll(
            'article.bd-article code.literal')) {
        // Each drawn character, its top, and whether a space (drawn or
        // not: at the end of a line it takes no room) comes before it.
        const chars = [];
        let space = false;
        const walk = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let node = walk.nextNode(); node; node = walk.nextNode()) {
            for (let i = 0; i < node.length; i++) {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                const rect = range.getBoundingClientRect();
                if (/\\s/.test(node.data[i])) {
                    space = true;
                } else if (rect.width > 0) {
                    chars.push([node.data[i], rect.top, space]);
                    space = false;
                }
            }
        }
        for (let k = 1; k < chars.length; k++) {
            if (chars[k][1] > chars[k - 1][1] + 4) {
                found.push([chars[k][2] ? ' ' : chars[k - 1][0],
                            chars[k][0], code.textContent.slice(0, 60)]);
            }
        }
    }
    return found;
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


def svg_of(docname: str, src: str) -> str:
    """The SVG text of an image: a data: URI's or the built file's."""
    prefix = "data:image/svg+xml;base64,"
    if src.startswith(prefix):
        return base64.b64decode(src[len(prefix) :]).decode("utf-8")
    return (page_path(docname).parent / unquote(src)).read_text(
        encoding="utf-8"
    )


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
        src = image["src"]
        if not (src.endswith(".svg") or src.startswith("data:image/svg")):
            problems.append(f"{what} is not SVG")
            continue
        size, width = smallest_text(svg_of(docname, src))
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


@pytest.mark.parametrize("docname", PAGES)
def test_what_scrolls_sideways_shows_it_at_390(page_at, docname) -> None:
    boxes = page_at(docname, PHONE).evaluate(SCROLLERS)
    silent = [box["what"] for box in boxes if box["shadow"] == "none"]
    assert not silent, f"{docname}: scrolls with no cue: {silent}"


@pytest.mark.parametrize("docname", PAGES)
def test_printed_tables_keep_their_columns_at_390(page_at, docname) -> None:
    rewrapped = page_at(docname, PHONE).evaluate(REWRAPPED)
    assert not rewrapped, f"{docname}: printed lines wrapped: {rewrapped}"


@pytest.mark.parametrize("docname", PAGES)
def test_inline_code_breaks_only_at_spaces_dots_slashes_underscores(
    page_at, docname
) -> None:
    breaks = page_at(docname, PHONE).evaluate(CODE_BREAKS)
    bad = [
        f"{before!r}|{after!r} in {code!r}"
        for before, after, code in breaks
        if before not in "._/ " and after != " "
    ]
    assert not bad, f"{docname}: inline code broken mid-word: {bad}"


@pytest.mark.parametrize("docname", PAGES)
def test_figures_are_legible_at_390_or_open_full_size(
    page_at, docname
) -> None:
    """Smallest text as a phone shows a figure, else, tapped, as the
    opened figure shows it; the opened figure keeps its alt text."""
    page = page_at(docname, PHONE)
    images = page.evaluate(IMAGES)
    problems = []
    for k, image in enumerate(images):
        if image["kind"] != "figure" or not image["src"]:
            continue
        size, width = smallest_text(svg_of(docname, image["src"]))
        shown = size * image["shown"] / width
        if shown >= MIN_PHONE_TEXT_PX:
            continue
        img = page.locator("article.bd-article img").nth(k)
        img.scroll_into_view_if_needed()
        img.click()
        dialog = page.locator("dialog.sincos-zoom[open]")
        if dialog.count() == 0:
            problems.append(f"figure {k}: {shown:.1f} px and no tap to open")
            continue
        full = dialog.locator("img")
        opened = size * full.bounding_box()["width"] / width
        if opened < MIN_TEXT_PX:
            problems.append(f"figure {k}: {opened:.1f} px when opened")
        if (
            dialog.locator(".sincos-zoom-caption").text_content()
            != (image["alt"])
        ):
            problems.append(f"figure {k}: opened without its alt text")
        page.keyboard.press("Escape")
        page.wait_for_function(
            "() => !document.querySelector('dialog.sincos-zoom[open]')"
        )
    assert not problems, f"{docname}: {problems}"


def test_the_animation_opens_full_size_and_plays_there(page_at) -> None:
    page = page_at("notebooks/04_training", PHONE)
    frame = page.locator(".animation img").first
    frame.scroll_into_view_if_needed()
    shown = frame.bounding_box()["width"]
    frame.click()
    dialog = page.locator("dialog.sincos-zoom[open]")
    opened = dialog.locator(".animation img")
    assert opened.count() == 1, "the animation did not open"
    assert opened.bounding_box()["width"] > 1.5 * shown
    assert "Animation" in dialog.locator(".sincos-zoom-caption").text_content()
    slider = dialog.locator("input.anim-slider")
    before = slider.input_value()
    dialog.locator('button[title="Next frame"]').click()
    assert slider.input_value() != before, "its buttons do not work there"
    page.keyboard.press("Escape")
    page.wait_for_function(
        "() => !document.querySelector('dialog.sincos-zoom[open]')"
    )
    assert page.locator("article .animation img").count() == 1, (
        "the animation did not go back into the page"
    )


@pytest.mark.parametrize("docname", PAGES)
def test_headings_and_page_links_at_390(page_at, docname) -> None:
    found = page_at(docname, PHONE).evaluate("""() => {
        const size = el => parseFloat(getComputedStyle(el).fontSize);
        const h1 = document.querySelector('article.bd-article h1');
        const others = [...document.querySelectorAll(
            'article.bd-article h2, article.bd-article h3')];
        const cut = [...document.querySelectorAll(
                '.prev-next-area .prev-next-title')]
            .filter(t => t.scrollWidth > t.clientWidth + 1
                || t.getBoundingClientRect().right
                    > document.documentElement.clientWidth)
            .map(t => t.textContent);
        return {h1: h1 ? size(h1) : null,
                larger: others.filter(h => size(h) >= size(h1))
                    .map(h => h.textContent.trim()),
                cut};
    }""")
    if found["h1"] is not None:
        assert not found["larger"], (
            f"{docname}: headings as large as the title: {found['larger']}"
        )
    assert not found["cut"], f"{docname}: page links cut: {found['cut']}"


@pytest.mark.parametrize("docname", PAGES)
def test_punctuation_stays_with_its_math_at_390(page_at, docname) -> None:
    """A ":" or ")" after inline math never starts a line of its own."""
    found = page_at(docname, PHONE).evaluate("""() => {
        const math = [...document.querySelectorAll(
            'article.bd-article span.math')];
        const loose = math.filter(m => {
            if (m.parentElement.classList.contains('sincos-nowrap')) {
                return false;
            }
            const next = m.nextSibling;
            return next && next.nodeType === 3 && /^[:;,.)]/.test(next.data);
        }).map(m => m.textContent.slice(0, 30));
        const split = [...document.querySelectorAll(
                'article.bd-article .sincos-nowrap')]
            .filter(k => {
                const tops = [...k.getClientRects()].map(r => r.top);
                return Math.max(...tops) - Math.min(...tops) > 4;
            })
            .map(k => k.textContent.slice(0, 30));
        return {loose, split};
    }""")
    assert not found["loose"], f"{docname}: not kept: {found['loose']}"
    assert not found["split"], f"{docname}: split over lines: {found['split']}"
