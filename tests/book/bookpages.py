"""Shared helpers for the tests of the built book and for screenshots.py.

The book is built by ``book/build.py`` (``make book``) into ``_build/html``:
the English edition at the top, each translation in a folder of it
(_config.yml's ``sincos_editions``; the Chinese one in ``zh_CN/``). A page
is named by its path under ``_build/html`` without ``.html``: the docname
in English (``notebooks/02_data``), the folder and the docname in a
translation (``zh_CN/notebooks/02_data``). Pages are opened from ``file://``
URLs, the way a reader opens the book offline.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
BUILD_HTML = ROOT / "_build" / "html"
BUILD_HINT = "build it first with `make book` (book/build.py)"


def editions() -> dict[str, str]:
    """The book's editions: language -> folder inside _build/html."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))
    return config["sphinx"]["config"].get("sincos_editions", {"en": ""})


EDITIONS = editions()
ENGLISH = next(lang for lang, folder in EDITIONS.items() if not folder)
TRANSLATIONS = {lang: folder for lang, folder in EDITIONS.items() if folder}

# Pages Sphinx writes besides those _toc.yml lists.
EXTRA_PAGES = ["index", "genindex", "search"]

CHROMIUM = "/usr/bin/chromium"
# Quiet, offline headless Chromium: no background traffic of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def toc_docnames(toc_path: Path = ROOT / "_toc.yml") -> list[str]:
    """Every document _toc.yml lists, root first, in reading order (no
    suffixes)."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    names = [toc["root"]]

    def walk(entries: list[dict]) -> None:
        for entry in entries:
            if "file" in entry:
                names.append(entry["file"])
            for key in ("parts", "chapters", "sections"):
                walk(entry.get(key, []))

    walk(toc.get("parts", []) + toc.get("chapters", []))
    return names


def page_path(page: str) -> Path:
    """Where a built HTML page lives (``page``: a docname, or a
    translation's folder and a docname)."""
    return BUILD_HTML / f"{page}.html"


def in_every_edition(docnames: list[str]) -> list[str]:
    """The pages of these documents in every edition: the English ones
    first, under their docnames."""
    return list(docnames) + [
        f"{folder}/{docname}"
        for folder in TRANSLATIONS.values()
        for docname in docnames
    ]


def edition_of(page: str) -> tuple[str, str]:
    """(language, docname) of a page."""
    for language, folder in TRANSLATIONS.items():
        if page.startswith(f"{folder}/"):
            return language, page.removeprefix(f"{folder}/")
    return ENGLISH, page


def missing_build_message() -> str | None:
    """Why the book's HTML cannot be tested, or None when it has been built
    (every edition of it)."""
    folders = ["", *TRANSLATIONS.values()]
    missing = [
        folder or "."
        for folder in folders
        if not (BUILD_HTML / folder / "index.html").is_file()
    ]
    if not missing:
        return None
    return f"no built book in {BUILD_HTML} ({missing}): {BUILD_HINT}"


def launch_chromium(playwright):
    """Debian's Chromium through Playwright; never a downloaded browser."""
    return playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS
    )


# Resolves once MathJax has typeset the page (at once on pages without math).
WAIT_FOR_MATHJAX = """async () => {
    if (!document.querySelector('.math')) return 'no math';
    for (let i = 0; i < 200 && !(window.MathJax && MathJax.startup
                                  && MathJax.startup.promise); i++) {
        await new Promise(r => setTimeout(r, 50));
    }
    if (!(window.MathJax && MathJax.startup && MathJax.startup.promise)) {
        return 'MathJax did not load';
    }
    await MathJax.startup.promise;
    return 'typeset';
}"""

# [widget placeholders in the page, the ones sincos/widgets.js has made
# live]: a live widget draws on canvases inside its placeholder.
COUNT_WIDGETS = """() => {
    const all = [...document.querySelectorAll('div.sincos-widget[data-kind]')];
    return [all.length, all.filter(w => w.querySelector('canvas')).length];
}"""


def open_rendered(page, url: str, timeout_ms: int = 20_000) -> str:
    """Open a page; wait until MathJax has typeset it and the widgets are
    live.

    Returns what MathJax did: "typeset", "no math" or "MathJax did not load".
    A page whose widgets are not live in time is returned as it is, for the
    caller to check with COUNT_WIDGETS.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.goto(url, wait_until="load", timeout=timeout_ms)
    mathjax = page.evaluate(WAIT_FOR_MATHJAX)
    widgets, live = page.evaluate(COUNT_WIDGETS)
    if live < widgets:
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                f"() => ({COUNT_WIDGETS})()[1] >= {widgets}",
                timeout=timeout_ms,
            )
    page.wait_for_timeout(300)  # let late requests (fonts, frame images) start
    return mathjax
