"""Checks of the built HTML pages that need no browser."""

import re
from pathlib import Path, PurePosixPath

import pytest
from bookpages import EXTRA_PAGES, page_path, toc_docnames
from bs4 import BeautifulSoup

pytestmark = pytest.mark.book

CHAPTERS = toc_docnames()
PAGES = CHAPTERS + EXTRA_PAGES

# <link rel=...> values that make the browser fetch something to render the page.
RESOURCE_RELS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "prefetch",
    "icon",
    "shortcut",
    "apple-touch-icon",
    "manifest",
}
REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
REMOTE_IN_CSS = re.compile(
    r"@import\s+(url\()?\s*['\"]?\s*(https?:)?//|url\(\s*['\"]?\s*(https?:)?//",
    re.IGNORECASE,
)


def soup(docname: str) -> BeautifulSoup:
    return BeautifulSoup(
        page_path(docname).read_text(encoding="utf-8"), "html.parser"
    )


def short(url: str) -> str:
    return url if len(url) <= 90 else url[:87] + "..."


@pytest.mark.parametrize("docname", CHAPTERS)
def test_every_toc_page_is_built(build_html: Path, docname: str) -> None:
    assert page_path(docname).is_file(), (
        f"{docname}.html is missing from {build_html}"
    )


def _alt_is_meaningful(alt: str, src: str) -> bool:
    """myst-nb gives notebook images their file path as alt text; that says nothing."""
    alt = alt.strip()
    if not alt:
        return False
    name = PurePosixPath(src.split("?")[0]).name
    return alt != src and not (name and alt.endswith(name))


def _in_captioned_figure(img) -> bool:
    figure = img.find_parent("figure")
    caption = figure.find("figcaption") if figure else None
    return bool(caption and caption.get_text(strip=True))


@pytest.mark.parametrize("docname", PAGES)
def test_images_have_alt_text_or_a_caption(
    build_html: Path, docname: str
) -> None:
    bad = [
        short(img.get("src") or img.get("id") or str(img))
        for img in soup(docname).find_all("img")
        if not _alt_is_meaningful(img.get("alt", ""), img.get("src", ""))
        and not _in_captioned_figure(img)
    ]
    assert not bad, (
        f"{docname}: images without alt text or a figure caption: {bad}. In a notebook, "
        "give the cell metadata mystnb.image.alt or mystnb.figure.caption; in HTML "
        "output (to_jshtml) add an alt attribute to the <img>."
    )


def _remote_resources(page: BeautifulSoup) -> list[str]:
    """Everything the page would fetch from another machine to render itself."""
    found = []
    for tag in page.find_all(
        ["script", "img", "iframe", "audio", "video", "source", "embed"]
    ):
        for attr in ("src", "srcset", "data-src"):
            if REMOTE.match(tag.get(attr, "")):
                found.append(f"<{tag.name} {attr}={short(tag[attr])}>")
    for tag in page.find_all("link", href=True):
        rels = {rel.lower() for rel in tag.get("rel", [])}
        if rels & RESOURCE_RELS and REMOTE.match(tag["href"]):
            found.append(
                f"<link rel={' '.join(sorted(rels))} href={short(tag['href'])}>"
            )
    for tag in page.find_all("object", data=True):
        if REMOTE.match(tag["data"]):
            found.append(f"<object data={short(tag['data'])}>")
    for tag in page.find_all("style"):
        if REMOTE_IN_CSS.search(tag.get_text()):
            found.append(
                f"<style> loading {short(REMOTE_IN_CSS.search(tag.get_text())[0])}"
            )
    for tag in page.find_all(style=True):
        if REMOTE_IN_CSS.search(tag["style"]):
            found.append(f"<{tag.name} style={short(tag['style'])}>")
    return found


@pytest.mark.parametrize("docname", PAGES)
def test_nothing_needed_to_render_comes_from_the_network(
    build_html: Path, docname: str
) -> None:
    remote = _remote_resources(soup(docname))
    assert not remote, (
        f"{docname} loads from the network (links are fine, loads are not): {remote}"
    )
