"""The book in more than one language, from the same sources.

_config.yml's ``sincos_editions`` lists the editions by language: English at
the top of the HTML, each translation in a folder of it. book/build.py
builds each with Sphinx's ``language`` set and the translation catalogues of
``locale_dirs`` (one .po file per document; scripts/translations.py keeps
them in step with the English). This extension

- links every page to the same page in the other editions: the switch in
  the page header (book/_templates/edition-switch.html), a relative URL
  that works from file:// and over HTTP alike;
- leaves out of the messages what has nothing to translate (code, maths,
  references that show their target's title; see
  notebook_translation.needs_translation) and paragraphs that are only
  images (their alt texts are messages): a translator sees words only;
- makes messages of the words a notebook keeps in its cells' metadata and
  myst-nb shows: the prompts of a hidden cell ("Show the solution"); and
  translates the captions of _toc.yml's parts, which sphinx-external-toc
  puts in after Sphinx has translated the page;
- in a translation: gives the book the root page's title in translation,
  the search field its words from the interface's catalogue (sphinx.po),
  and offers for download the notebooks with their markdown cells (and the
  Markdown pages) translated from the compiled catalogues
  (notebook_translation).
"""

from __future__ import annotations

import json
import logging
import posixpath
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.locale import _
from sphinx.transforms import SphinxTransform
from sphinx.util import logging as sphinx_logging
from sphinx.util.i18n import docname_to_domain
from sphinx.util.nodes import LITERAL_TYPE_NODES, is_translatable
from sphinx.util.osutil import relative_uri

sys.path.insert(0, str(Path(__file__).parent))
from notebook_translation import (
    markdown_parser,
    needs_translation,
    read_catalog,
    translate_markdown,
    translate_notebook,
)

LOGGER = sphinx_logging.getLogger(__name__)

# Each language as the switch names it, in itself: the name, the HTML
# language tag, and the link's title.
LANGUAGES = {
    "en": ("English", "en", "Read this page in English"),
    "zh_CN": ("中文", "zh-CN", "阅读本页的中文版"),
}


def default_language(config: Config) -> str:
    """The language of the edition at the top of the HTML."""
    return next(
        (
            lang
            for lang, folder in config.sincos_editions.items()
            if not folder
        ),
        "en",
    )


def is_translation(config: Config) -> bool:
    return (config.language or "en") != default_language(config)


def other_editions(config: Config, page_uri: str) -> list[dict[str, str]]:
    """Links from a page (its URI in this edition, e.g.
    ``notebooks/02_data.html``) to the same page in every other edition."""
    editions = config.sincos_editions
    here = config.language or "en"
    base = posixpath.join(editions.get(here, ""), page_uri)
    links = []
    for language, folder in editions.items():
        if language == here:
            continue
        name, tag, title = LANGUAGES.get(language, (language,) * 3)
        links.append(
            {
                "url": relative_uri(base, posixpath.join(folder, page_uri)),
                "name": name,
                "tag": tag.replace("_", "-"),
                "title": title,
            }
        )
    return links


def add_switch(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    context["sincos_other_editions"] = other_editions(
        app.config, app.builder.get_target_uri(pagename)
    )


class WordsOnly(SphinxTransform):
    """Take out of the messages the blocks with nothing to translate,
    paragraphs that are only images, and display maths and raw HTML (Sphinx
    would offer a formula for translation, but cannot take a translated one
    back from a Markdown page)."""

    # Before Sphinx's Locale (20), which translates the messages.
    default_priority = 15

    def apply(self, **kwargs: Any) -> None:
        for node in self.document.findall(nodes.TextElement):
            if isinstance(node, LITERAL_TYPE_NODES):
                node["translatable"] = False
                continue
            if not is_translatable(node):
                continue
            message = node.rawsource.replace("\n", " ").strip()
            only_images = isinstance(node, nodes.paragraph) and all(
                isinstance(child, nodes.image)
                or (isinstance(child, nodes.Text) and not child.strip())
                for child in node.children
            )
            if (message and not needs_translation(message)) or only_images:
                node["translatable"] = False


class attribute_message(nodes.Element, addnodes.translatable):
    """Words a node keeps in an attribute (a hidden cell's prompts), as a
    message of its own inside it: the translation goes back into the
    attribute."""

    def preserve_original_messages(self) -> None:
        pass

    def extract_original_messages(self) -> list[str]:
        return [self["text"]]

    def apply_translated_message(self, original: str, translated: str):
        self.parent[self["attribute"]] = translated


PROMPTS = ("prompt_show", "prompt_hide")


class CellPrompts(SphinxTransform):
    """A hidden cell's prompts (myst-nb's code_prompt_show and
    code_prompt_hide) as messages."""

    default_priority = 15  # before Sphinx's Locale (20)

    def apply(self, **kwargs: Any) -> None:
        for cell in self.document.findall(nodes.container):
            for attribute in PROMPTS:
                text = cell.get(attribute)
                if cell.get("nb_element") == "cell_code" and text:
                    message = attribute_message(text=text, attribute=attribute)
                    message.source, message.line = cell.source, cell.line
                    cell.insert(0, message)


class DropAttributeMessages(SphinxTransform):
    """Once translated, the messages leave the page (they show nothing);
    the catalogues' build keeps them to extract them."""

    default_priority = 25  # after Sphinx's Locale (20)

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return
        for node in list(self.document.findall(attribute_message)):
            node.parent.remove(node)


class TocCaptions(SphinxTransform):
    """Translate the captions of the table of contents' parts, which
    sphinx-external-toc inserts (at 100) after Sphinx's Locale (20)."""

    default_priority = 101

    def apply(self, **kwargs: Any) -> None:
        toctrees = list(self.document.findall(addnodes.toctree))
        if not toctrees or not is_translation(self.config):
            return
        translations = catalog(self.app, self.env.docname)
        for toctree in toctrees:
            for message in toctree.extract_original_messages():
                if translations.get(message):
                    toctree.apply_translated_message(
                        message, translations[message]
                    )


def catalog(app: Sphinx, docname: str) -> dict[str, str]:
    """The compiled catalogue of a document in this edition's language
    (empty when there is none)."""
    domain = docname_to_domain(docname, app.config.gettext_compact)
    for folder in app.config.locale_dirs:
        path = (
            Path(app.srcdir, folder, app.config.language, "LC_MESSAGES")
            / f"{domain}.mo"
        )
        if path.is_file():
            return read_catalog(path)
    return {}


def translate_title(
    app: Sphinx, env: BuildEnvironment, docnames: list[str]
) -> None:
    """A translation's title: the book's title is its root page's heading,
    so its translation is in the root page's catalogue (compiled by now)."""
    if not is_translation(app.config):
        return
    title = catalog(app, app.config.root_doc).get(app.config.html_title)
    if title:
        app.config.html_title = title


def translate_search_field(app: Sphinx) -> None:
    """The search field's words (a theme option, which the theme shows
    untranslated) from the interface's catalogue."""
    options = getattr(app.builder, "theme_options", None)
    if is_translation(app.config) and options and "search_bar_text" in options:
        options["search_bar_text"] = str(_(options["search_bar_text"]))


def ship_translated_sources(app: Sphinx, exception) -> None:
    """Replace the sources a translation offers for download (their copies
    in _sources/: the notebooks, the Markdown pages) with their
    translations."""
    if exception or app.builder.format != "html":
        return
    if not is_translation(app.config):
        return
    parser = markdown_parser(app.config.myst_enable_extensions)
    for docname in sorted(app.env.found_docs):
        source = Path(app.env.doc2path(docname))
        target = Path(app.outdir, "_sources", f"{docname}{source.suffix}")
        if source.suffix not in (".ipynb", ".md") or not target.is_file():
            continue
        text = source.read_text(encoding="utf-8")
        translate = catalog(app, docname).get
        if source.suffix == ".ipynb":
            notebook, counts = translate_notebook(
                json.loads(text), translate, parser
            )
            text = json.dumps(notebook, indent=1, ensure_ascii=False) + "\n"
        else:
            counts = translate_markdown(text, translate, parser)
            text = counts.text
        target.write_text(text, encoding="utf-8")
        LOGGER.info(
            "editions: %s: %d blocks translated, %d not",
            target.name,
            counts.translated,
            len(counts.untranslated),
        )


def quiet_jieba(app: Sphinx, config: Config) -> None:
    """Sphinx's Chinese search cuts words with jieba, which logs to stderr
    while it loads its dictionary."""
    if (config.language or "").startswith("zh"):
        try:
            import jieba  # sets its own log level when imported
        except ImportError:
            return
        jieba.setLogLevel(logging.WARNING)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("sincos_editions", {"en": ""}, "html", dict)
    app.connect("config-inited", quiet_jieba)
    app.add_node(attribute_message)
    app.add_transform(WordsOnly)
    app.add_transform(CellPrompts)
    app.add_transform(DropAttributeMessages)
    app.add_transform(TocCaptions)
    app.connect("builder-inited", translate_search_field)
    app.connect("env-before-read-docs", translate_title)
    app.connect("html-page-context", add_switch)
    app.connect("build-finished", ship_translated_sources)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
