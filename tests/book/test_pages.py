"""Checks of the built HTML pages of every edition that need no browser."""

import json
import re
import sys
import zipfile
from importlib.metadata import metadata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import pytest
from bookpages import (
    EXTRA_PAGES,
    ROOT,
    TRANSLATIONS,
    edition_of,
    in_every_edition,
    page_path,
    toc_docnames,
)
from bs4 import BeautifulSoup

sys.path.insert(0, str(ROOT / "book" / "_ext"))
import notebook_translation

pytestmark = pytest.mark.book

CHAPTERS = in_every_edition(toc_docnames())
PAGES = in_every_edition(toc_docnames() + EXTRA_PAGES)

# <link rel=...> values that make the browser fetch something to render the
# page.
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


def _file_name_like(alt: str, src: str) -> bool:
    """myst-nb gives notebook images their file path as alt text; that says
    nothing."""
    name = PurePosixPath(src.split("?")[0]).name
    return alt == src or bool(name and alt.endswith(name))


def _stub(alt: str) -> bool:
    """Fewer than four words (or, in Chinese, eight characters)."""
    return (
        len(alt.split()) < 4 and len(re.findall(r"[\u4e00-\u9fff]", alt)) < 8
    )


@pytest.mark.parametrize("docname", PAGES)
def test_images_have_alt_text_and_figures_their_caption(
    build_html: Path, docname: str
) -> None:
    """Every image says in words what it shows: its own alt text
    (mystnb.image.alt) or, failing that, its figure's caption (which
    book/_ext/figures.py copies); never a file name or a stub."""
    bad = []
    for img in soup(docname).find_all("img"):
        alt, src = img.get("alt", "").strip(), img.get("src", "")
        figure = img.find_parent("figure")
        if figure and not figure.find(class_="caption-text"):
            bad.append(f"{short(src)}: a figure without a caption")
        if not alt or _file_name_like(alt, src) or _stub(alt):
            bad.append(f"{short(src or img.get('id', ''))}: alt {alt!r}")
    assert not bad, (
        f"{docname}: images without real alt text: {bad}. In a notebook, "
        "give the cell metadata mystnb.figure.caption (or mystnb.image.alt); "
        "in HTML output (to_jshtml) add an alt attribute to the <img>."
    )


def _remote_resources(page: BeautifulSoup) -> list[str]:
    """Everything the page would fetch from another machine to render
    itself."""
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
            rel = " ".join(sorted(rels))
            found.append(f"<link rel={rel} href={short(tag['href'])}>")
    for tag in page.find_all("object", data=True):
        if REMOTE.match(tag["data"]):
            found.append(f"<object data={short(tag['data'])}>")
    for tag in page.find_all("style"):
        remote = REMOTE_IN_CSS.search(tag.get_text())
        if remote:
            found.append(f"<style> loading {short(remote[0])}")
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
        f"{docname} loads from the network (links are fine, loads are not): "
        f"{remote}"
    )


NOTEBOOK_PAGES = [
    page
    for page in CHAPTERS
    if (ROOT / f"{edition_of(page)[1]}.ipynb").is_file()
]


def _target(docname: str, href: str) -> Path:
    """The file a link on a page points to."""
    return (page_path(docname).parent / unquote(href)).resolve()


def translated_notebook(language: str, docname: str) -> dict:
    """A notebook as a translation offers it: its markdown cells translated
    from the catalogue the build compiled."""
    notebook = json.loads((ROOT / f"{docname}.ipynb").read_text("utf-8"))
    mo = ROOT / "locales" / language / "LC_MESSAGES" / f"{docname}.mo"
    catalog = notebook_translation.read_catalog(mo) if mo.is_file() else {}
    return notebook_translation.translate_notebook(notebook, catalog.get)[0]


@pytest.mark.parametrize("docname", NOTEBOOK_PAGES)
def test_notebook_page_offers_its_notebook_and_the_package(
    build_html: Path, docname: str
) -> None:
    page = soup(docname)
    language, source = edition_of(docname)

    button = page.select_one(
        ".article-header-buttons > a.btn-download-notebook-button"
    )
    assert button and button.get_text(strip=True), (
        f"{docname}: no labelled notebook download button in the header"
    )
    given = _target(docname, button["href"])
    if language in TRANSLATIONS:
        assert json.loads(given.read_text("utf-8")) == translated_notebook(
            language, source
        ), f"{docname}: the download button does not give this notebook"
    else:
        assert given.read_bytes() == (ROOT / f"{source}.ipynb").read_bytes(), (
            f"{docname}: the download button does not give this notebook"
        )

    note = page.select_one("p.sincos-run-note")
    assert note, f"{docname}: no line on how to run the chapter"
    assert note.find_previous_sibling().name == "h1", (
        f"{docname}: the line on running the chapter is not under the title"
    )
    links = {
        PurePosixPath(a["href"]).suffix: _target(docname, a["href"])
        for a in note.find_all("a")
    }
    assert links.get(".ipynb") == _target(docname, button["href"]), (
        f"{docname}: the note does not link this notebook: {links}"
    )
    wheel = links.get(".whl")
    assert wheel and wheel.is_file(), (
        f"{docname}: the note does not link a wheel the book holds: {links}"
    )
    assert f"pip install {wheel.name}" in note.get_text(), (
        f"{docname}: the note does not say how to install {wheel.name}"
    )


@pytest.mark.parametrize("folder", ["", *TRANSLATIONS.values()])
def test_the_book_ships_a_wheel_of_the_package(
    build_html: Path, folder: str
) -> None:
    wheels = sorted((build_html / folder).glob("*.whl"))
    assert len(wheels) == 1, f"wheels at the top of the book: {wheels}"
    installed = metadata("sincos-lstm")  # this project, from pyproject.toml
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
        info = next(n for n in names if n.endswith(".dist-info/METADATA"))
        shipped = wheel.read(info).decode()
    sources = {
        f"sincos/{path.name}"
        for path in (ROOT / "sincos").iterdir()
        if path.suffix in (".py", ".npz")
    }
    assert sources <= names, f"missing from the wheel: {sources - names}"
    assert f"\nName: {installed['Name']}\n" in shipped
    assert f"\nVersion: {installed['Version']}\n" in shipped, (
        f"{wheels[0].name} is not version {installed['Version']}: rebuild"
    )


@pytest.mark.parametrize("docname", PAGES)
def test_no_assert_is_shown_to_the_reader(build_html: Path, docname: str):
    shown = [
        line.strip()
        for block in soup(docname).select("div.highlight pre")
        for line in block.get_text().splitlines()
        if line.lstrip().startswith("assert ")
    ]
    assert not shown, f"{docname} shows checks to the reader: {shown}"


@pytest.mark.parametrize("docname", PAGES)
def test_every_page_names_the_books_icon(build_html: Path, docname: str):
    """Else a browser asks the server for /favicon.ico, which is not
    there."""
    icon = soup(docname).find("link", rel="icon")
    assert icon, f"{docname}: no <link rel=icon>"
    assert (page_path(docname).parent / icon["href"]).is_file(), icon
