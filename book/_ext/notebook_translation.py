"""A notebook with its markdown cells in another language (or a Markdown
page in another language), from the message catalogue Sphinx translates its
page with.

Sphinx cuts a page into messages, one per block of text: a heading, a
paragraph (a list item's too), a table cell, the title of a directive such
as a tab, an image's alt text. A message is the block's Markdown source on
one line. This module finds the same blocks in a markdown cell, with MyST's
own Markdown parser, and puts each block's translation in its place, keeping
what surrounds it: ``## ``, ``- ``, the table's pipes, a directive's fence.
A block without a translation stays as it is, in English, and is counted.
Code cells, outputs and metadata are not touched, so the notebook runs as
the English one does.

A directive's body is Markdown too, its title (a tab's, an admonition's) a
message, and so is an image's alt text given as an option (``:alt:``).

Blocks with nothing to translate (no word outside code, maths, links'
targets and references that show their target's title) are no messages:
book/_ext/editions.py tells Sphinx so with ``needs_translation``, and this
module skips them too. A paragraph that is only images is no message
either; its images' alt texts are.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Jupyter Book's MyST extensions (jupyter_book/default_config.yml).
MYST_EXTENSIONS = (
    "colon_fence",
    "dollarmath",
    "linkify",
    "substitution",
    "tasklist",
)
# Directives whose body is not Markdown, and those whose argument is a title
# (a message) rather than a path or a language.
LITERAL_DIRECTIVES = {
    "code",
    "code-block",
    "code-cell",
    "sourcecode",
    "math",
    "raw",
    "eval-rst",
    "literalinclude",
    "mermaid",
}
TITLE_DIRECTIVES = {
    "admonition",
    "card",
    "dropdown",
    "sidebar",
    "tab-item",
    "topic",
}
# Directive options that are messages: an image's or a figure's alt text.
MESSAGE_OPTIONS = {"alt"}
# Roles whose text, when they give none of their own, is their target's
# title: translated where the target is.
TITLE_ROLES = {"doc", "ref", "numref", "eq", "any"}

ROLE = re.compile(
    r"\{(?P<name>[^{}`\s]+)\}(?P<ticks>`+)(?P<text>.*?)(?P=ticks)"
)
EXPLICIT_TITLE = re.compile(r"^(?P<title>.*?)\s*<[^<>]*>$", re.S)
CODE = re.compile(r"(?P<ticks>`+)(?P<code>.+?)(?P=ticks)", re.S)
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\s](?:[^$]*[^$\s])?\$", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)|<https?://[^>]*>|https?://\S+")
LETTER = re.compile(r"[A-Za-z]")
IMAGE_ALT = re.compile(r"!\[(?P<alt>(?:[^\[\]\\]|\\.|\[[^\]]*\])*)\]\(")
CELL_SPLIT = re.compile(r"(?<!\\)\|")


def needs_translation(message: str) -> bool:
    """Whether a message has words to translate: not only code, maths,
    link targets, and references that show their target's title."""

    def role(match: re.Match) -> str:
        if match["name"] in TITLE_ROLES:
            title = EXPLICIT_TITLE.match(match["text"])
            return title["title"] if title else ""
        return match["text"]

    text = ROLE.sub(role, message)
    text = CODE.sub("", text)
    text = MATH.sub("", text)
    text = LINK_TARGET.sub("]", text)
    return bool(LETTER.search(text))


def message_of(text: str) -> str:
    """A block's message as Sphinx extracts it: its lines joined by
    spaces."""
    return text.replace("\n", " ").strip()


def alt_text(children: Iterable) -> str:
    """An image's alt text as MyST makes it from the tokens between its
    brackets: the plain text only (myst_parser's renderInlineAsText)."""
    out = ""
    for token in children or []:
        if token.type == "text":
            out += token.content
        else:
            out += alt_text(token.children or [])
    return out


def markdown_parser(extensions: Iterable[str] = MYST_EXTENSIONS):
    """MyST's Markdown parser, as Sphinx parses the notebooks with it."""
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    config = MdParserConfig(enable_extensions=set(extensions))
    return create_md_parser(config, RendererHTML)


@dataclass
class Translated:
    """A text with its blocks translated, and what was not."""

    text: str
    translated: int = 0
    untranslated: list[str] = field(default_factory=list)


class _Cell:
    """The lines of a Markdown text, edited in place block by block; a
    block's line numbers stay those of the original text."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.done = Translated(text)

    def lookup(self, message: str, translate: Callable[[str], str | None]):
        """The translation of a message that needs one, else None; counts
        it."""
        if not needs_translation(message):
            return None
        translation = translate(message)
        if translation:
            self.done.translated += 1
            return translation
        self.done.untranslated.append(message)
        return None


def _prefix(line: str, content: str) -> str:
    """What comes before a block's first line of text on its source line
    (``## ``, ``- ``, ``> ``, indentation)."""
    head = line.rstrip()
    tail = content.rstrip()
    if tail and head.endswith(tail):
        return head[: len(head) - len(tail)]
    start = line.find(content.strip())
    return line[:start] if start >= 0 else ""


def _continuation(first: str) -> str:
    """The prefix of a block's further lines: the first line's, with its
    markers turned into spaces (a quote's ``>`` kept)."""
    return re.sub(r"[^\s>]", " ", first)


def _replace_block(cell: _Cell, start: int, end: int, content: str, text):
    """Put ``text`` in place of a block whose source lines are start..end-1
    and whose parsed text is ``content``."""
    first = _prefix(cell.lines[start], content.split("\n")[0])
    rest = _continuation(first)
    new = [
        first + line if k == 0 else rest + line
        for k, line in enumerate(text.split("\n"))
    ]
    for k in range(start, end):
        cell.lines[k] = None
    cell.lines[start] = "\n".join(new)


def _translate_images(cell, start, end, inline, translate) -> None:
    """Translate the alt text of every image in a block, in its source."""
    images = [t for t in inline.children or [] if t.type == "image"]
    if not images:
        return
    source = "\n".join(cell.lines[start:end])
    spans = list(IMAGE_ALT.finditer(source))
    if len(spans) != len(images):
        return  # not what the parser saw (an image inside a link)
    for span, image in reversed(list(zip(spans, images, strict=True))):
        translation = cell.lookup(alt_text(image.children), translate)
        if translation:
            alt = re.sub(r"([\[\]])", r"\\\1", translation)
            source = (
                source[: span.start("alt")] + alt + source[span.end("alt") :]
            )
    for k in range(start + 1, end):
        cell.lines[k] = None
    cell.lines[start] = source


def _only_images(inline) -> bool:
    children = inline.children or []
    return any(t.type == "image" for t in children) and all(
        t.type in ("image", "softbreak")
        or (t.type == "text" and not t.content.strip())
        for t in children
    )


def _translate_row(cell, row: int, cells: list, translate) -> None:
    """Translate the cells of a table row in its source line."""
    line = cell.lines[row]
    pieces = CELL_SPLIT.split(line)
    first = 1 if line.strip().startswith("|") else 0
    for k, inline in enumerate(cells):
        translation = cell.lookup(message_of(inline.content), translate)
        if translation and first + k < len(pieces):
            piece = pieces[first + k]
            lead = piece[: len(piece) - len(piece.lstrip())]
            trail = piece[len(piece.rstrip()) :]
            escaped = translation.replace("\n", " ").replace("|", "\\|")
            pieces[first + k] = lead + escaped + trail
    cell.lines[row] = "|".join(pieces)


def _directive(cell, token, parser, translate) -> None:
    """A fenced directive (```{name} or :::{name}): its title, and its body
    as Markdown."""
    match = re.match(r"\{(?P<name>[^}]+)\}\s*(?P<arg>.*)$", token.info.strip())
    if not match or match["name"] in LITERAL_DIRECTIVES:
        return
    start = token.map[0]
    if match["name"] in TITLE_DIRECTIVES and match["arg"]:
        translation = cell.lookup(match["arg"], translate)
        if translation:
            line = cell.lines[start]
            at = line.rfind(match["arg"])
            cell.lines[start] = (
                line[:at] + translation + line[at + len(match["arg"]) :]
            )
    # The body: after the options (":key: value" lines or a --- block).
    body = token.content.split("\n")
    skip = 0
    if body and body[0].strip() == "---":
        skip = next(
            (k + 1 for k in range(1, len(body)) if body[k].strip() == "---"),
            0,
        )
    else:
        while skip < len(body) and re.match(r"\s*:[\w-]+:", body[skip]):
            option = re.match(r"(\s*:([\w-]+):\s*)(.*)$", body[skip])
            if option[2] in MESSAGE_OPTIONS and option[3]:
                translation = cell.lookup(option[3].strip(), translate)
                if translation:
                    line = option[1] + translation.replace("\n", " ")
                    body[skip] = line
                    fence = cell.lines[start]
                    indent = fence[: len(fence) - len(fence.lstrip())]
                    cell.lines[start + 1 + skip] = indent + line
            skip += 1
    inner = _translate("\n".join(body[skip:]), parser, translate)
    cell.done.translated += inner.done.translated
    cell.done.untranslated += inner.done.untranslated
    # The body's lines as the fence holds them, indented as it is.
    fence = cell.lines[start]
    indent = fence[: len(fence) - len(fence.lstrip())]
    for k, line in enumerate(inner.lines):
        if line != body[skip + k]:
            at = start + 1 + skip + k
            cell.lines[at] = None if line is None else indent + line


def _translate(text: str, parser, translate) -> _Cell:
    """The blocks of a Markdown text translated, in a _Cell."""
    cell = _Cell(text)
    tokens = parser.parse(text)
    row, cells = None, []
    for k, token in enumerate(tokens):
        inline = tokens[k + 1] if k + 1 < len(tokens) else None
        if token.type == "tr_open":
            row, cells = token.map[0], []
        elif token.type == "tr_close":
            _translate_row(cell, row, cells, translate)
            row = None
        elif token.type == "inline" and row is not None:
            cells.append(token)
        elif token.type == "heading_open":
            start = token.map[0]
            translation = cell.lookup(message_of(inline.content), translate)
            if translation:
                line = cell.lines[start]
                at = line.rfind(inline.content)
                if at >= 0:
                    cell.lines[start] = (
                        line[:at]
                        + translation.replace("\n", " ")
                        + line[at + len(inline.content) :]
                    )
        elif token.type == "paragraph_open":
            start, end = token.map
            if _only_images(inline):
                _translate_images(cell, start, end, inline, translate)
                continue
            translation = cell.lookup(message_of(inline.content), translate)
            if translation:
                _replace_block(cell, start, end, inline.content, translation)
            else:
                _translate_images(cell, start, end, inline, translate)
        elif token.type in ("fence", "colon_fence"):
            _directive(cell, token, parser, translate)
    return cell


def translate_markdown(
    text: str,
    translate: Callable[[str], str | None],
    parser=None,
) -> Translated:
    """``text`` (Markdown) with every block that ``translate`` knows in
    translation. ``translate`` gives a message's translation, or None or ""
    when it has none."""
    cell = _translate(text, parser or markdown_parser(), translate)
    cell.done.text = "\n".join(line for line in cell.lines if line is not None)
    return cell.done


def translate_notebook(
    notebook: dict,
    translate: Callable[[str], str | None],
    parser=None,
) -> tuple[dict, Translated]:
    """A copy of a notebook (nbformat JSON) with its markdown cells
    translated; and the counts, over all cells (its ``text`` is unused)."""
    parser = parser or markdown_parser()
    out = copy.deepcopy(notebook)
    total = Translated("")
    for cell in out.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        source = cell["source"]
        text = "".join(source) if isinstance(source, list) else source
        done = translate_markdown(text, translate, parser)
        total.translated += done.translated
        total.untranslated += done.untranslated
        if isinstance(source, list):
            cell["source"] = done.text.splitlines(keepends=True)
        else:
            cell["source"] = done.text
    return out, total


def read_catalog(path: Path) -> dict[str, str]:
    """The translations of a compiled catalogue (.mo): message -> its
    translation (a fuzzy one is not compiled)."""
    from babel.messages.mofile import read_mo

    with open(path, "rb") as file:
        catalog = read_mo(file)
    return {
        message.id: message.string
        for message in catalog
        if message.id and isinstance(message.id, str) and message.string
    }
