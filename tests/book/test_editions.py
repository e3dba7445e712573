"""The book's editions: the Chinese one beside the English, made from the
same sources, every page linked to the same page in the other, each page in
its own language (its text as far as it is translated, the theme's words,
the search).

The other book tests (test_pages, test_browser, test_layout) check every
page of both editions too.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from pathlib import Path

import pytest
from bookpages import (
    EDITIONS,
    ENGLISH,
    EXTRA_PAGES,
    ROOT,
    TRANSLATIONS,
    edition_of,
    in_every_edition,
    open_rendered,
    page_path,
    toc_docnames,
)
from bs4 import BeautifulSoup

sys.path.insert(0, str(ROOT / "book" / "_ext"))
from notebook_translation import read_catalog

pytestmark = pytest.mark.book

PAGES = in_every_edition(
    toc_docnames() + [name for name in EXTRA_PAGES if name != "index"]
)
TRANSLATED = [p for p in PAGES if edition_of(p)[0] in TRANSLATIONS]
TAGS = {"en": "en", "zh_CN": "zh-CN"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def soup(page: str) -> BeautifulSoup:
    return BeautifulSoup(
        page_path(page).read_text(encoding="utf-8"), "html.parser"
    )


def catalog(language: str, domain: str) -> dict[str, str]:
    """A compiled catalogue of the last build (empty when there is none)."""
    mo = ROOT / "locales" / language / "LC_MESSAGES" / f"{domain}.mo"
    return read_catalog(mo) if mo.is_file() else {}


def same_page(page: str, language: str) -> str:
    """The page of the same document in the edition of ``language``."""
    folder = EDITIONS[language]
    docname = edition_of(page)[1]
    return f"{folder}/{docname}" if folder else docname


@pytest.mark.parametrize("page", PAGES)
def test_every_page_links_to_the_same_page_in_the_other_edition(
    build_html: Path, page: str
) -> None:
    language, _ = edition_of(page)
    links = soup(page).select(
        ".header-article-items__end a.sincos-edition-switch"
    )
    found = {}
    for link in links:
        href = link["href"]
        assert not re.match(r"^([a-z]+:|/)", href), (
            f"{page}: the switch's link is not relative: {href}"
        )
        assert link.get("lang") == link.get("hreflang"), page
        found[link["hreflang"]] = (page_path(page).parent / href).resolve()
    expected = {
        TAGS[other]: page_path(same_page(page, other)).resolve()
        for other in EDITIONS
        if other != language
    }
    assert found == expected, f"{page}: the switch links {found}"
    assert all(path.is_file() for path in found.values()), found


@pytest.mark.parametrize("page", PAGES)
def test_every_page_says_its_language(build_html: Path, page: str) -> None:
    language, _ = edition_of(page)
    assert soup(page).html.get("lang") == TAGS[language], page


@pytest.mark.parametrize("folder", TRANSLATIONS.values())
def test_a_translations_index_opens_its_own_first_page(
    build_html: Path, folder: str
) -> None:
    index = (build_html / folder / "index.html").read_text(encoding="utf-8")
    first = toc_docnames()[0]
    assert f'url={first}.html"' in index, index


@pytest.mark.parametrize(
    "page", [p for p in TRANSLATED if edition_of(p)[1] in toc_docnames()]
)
def test_a_translated_page_shows_its_translations(
    build_html: Path, page: str
) -> None:
    """Its title and headings are those of the English page, each one that
    the catalogue translates in translation (a heading with markup is its
    Markdown in the catalogue: not compared here)."""
    language, docname = edition_of(page)
    translations = catalog(language, docname)

    def headings(html: BeautifulSoup) -> list[str]:
        return [
            h.get_text(strip=True).removesuffix("#")
            for h in html.select("article h1, article h2, article h3")
        ]

    english, shown = headings(soup(docname)), headings(soup(page))
    assert len(shown) == len(english), f"{page}: {shown} against {english}"
    for source, heading in zip(english, shown, strict=True):
        if source in translations:
            assert heading == translations[source], page


@pytest.mark.parametrize("page", TRANSLATED)
def test_the_theme_speaks_chinese_on_the_chinese_pages(
    build_html: Path, page: str
) -> None:
    html = soup(page)
    interface = catalog(edition_of(page)[0], "sphinx")
    search = html.select_one("input.form-control[name=q]")
    assert search["placeholder"] == interface.get(
        "Search this book...", "its translation in sphinx.po"
    )
    if edition_of(page)[1] in EXTRA_PAGES:
        return  # no links to the pages before and after
    labels = [
        a.get_text(" ", strip=True) for a in html.select(".prev-next-area a")
    ]
    assert labels, f"{page}: no links to the pages before and after"
    assert all(CHINESE.match(label) for label in labels), labels


def search_index(folder: str) -> tuple[list[str], dict, dict]:
    """The docnames, terms and title terms of an edition's search index."""
    text = (page_path(f"{folder}/searchindex")).with_suffix(".js")
    text = text.read_text(encoding="utf-8")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return data["docnames"], data["terms"], data["titleterms"]


@pytest.mark.parametrize("folder", TRANSLATIONS.values())
def test_the_chinese_search_finds_the_words_of_every_translated_page(
    build_html: Path, folder: str
) -> None:
    """Every Chinese word of a page's text (cut into words as the search
    cuts them, with jieba) finds the page in the edition's search index."""
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    docnames, terms, titleterms = search_index(folder)

    def pages(word: str) -> set[str]:
        found = set()
        for index in (terms, titleterms):
            hits = index.get(word, [])
            found |= {hits} if isinstance(hits, int) else set(hits)
        return {docnames[k] for k in found}

    searched, missing = 0, []
    for docname in toc_docnames():
        article = soup(f"{folder}/{docname}").select_one("article")
        # Code, outputs and a hidden cell's prompts are not searched.
        for skip in article.select("script, style, .highlight, summary"):
            skip.decompose()
        for text in article.find_all(string=CHINESE):
            for word in jieba.cut_for_search(str(text)):
                if len(word) > 1 and re.fullmatch(CHINESE.pattern + "+", word):
                    searched += 1
                    if docname not in pages(word):
                        missing.append(f"{docname}: {word}")
    assert searched, "no Chinese word in the Chinese edition"
    assert not missing, f"words the search does not find: {missing[:10]}"


# -- in the browser ---------------------------------------------------------


@pytest.mark.browser
def test_the_switch_goes_there_and_back(browser) -> None:
    page = browser.new_page()
    start = page_path("notebooks/02_data").as_uri()
    try:
        for language, folder in TRANSLATIONS.items():
            page.goto(start)
            page.locator(
                f"a.sincos-edition-switch[hreflang={TAGS[language]}]"
            ).click()
            page.wait_for_url(
                page_path(f"{folder}/notebooks/02_data").as_uri()
            )
            assert (
                page.evaluate("document.documentElement.lang")
                == TAGS[language]
            )
            page.locator(
                f"a.sincos-edition-switch[hreflang={TAGS[ENGLISH]}]"
            ).click()
            page.wait_for_url(start)
    finally:
        page.close()


@pytest.mark.browser
@pytest.mark.parametrize("folder", TRANSLATIONS.values())
def test_searching_a_chinese_word_finds_its_page(browser, folder) -> None:
    """The first Chinese word of the root page's first translated paragraph,
    searched for on the edition's search page."""
    jieba = pytest.importorskip("jieba")
    jieba.setLogLevel(logging.WARNING)
    root = toc_docnames()[0]
    paragraph = next(
        (
            p.get_text()
            for p in soup(f"{folder}/{root}").select("article p")
            if CHINESE.search(p.get_text())
        ),
        None,
    )
    if paragraph is None:
        pytest.fail(f"{folder}/{root} has no translated paragraph yet")
    word = next(
        w
        for w in jieba.cut_for_search(paragraph)
        if len(w) > 1 and re.fullmatch(CHINESE.pattern + "+", w)
    )
    page = browser.new_page()
    try:
        url = page_path(f"{folder}/search").as_uri()
        open_rendered(page, f"{url}?q={word}")
        page.wait_for_selector("#search-results ul.search li", timeout=10_000)
        found = page.eval_on_selector_all(
            "#search-results ul.search li a", "links => links.map(a => a.href)"
        )
        assert any(f"/{folder}/{root}.html" in href for href in found), (
            f"searching {word!r} found {found}"
        )
    finally:
        page.close()
