"""Figures in the book as in the notebooks: their images, captions, numbers
and alt text.

- A notebook's Markdown cell may show an image it carries itself, its
  attachment (``![alt](attachment:name.svg)``), so that the notebook shows
  it wherever it is opened. myst-nb does not read attachments: here the
  image gets the attachment's data as a ``data:`` URI.
- An image alone in its paragraph, followed by a paragraph that is all in
  italics, becomes a figure with that caption, numbered like the figures of
  the notebooks' outputs ("Fig. 3"). In Jupyter the same Markdown shows the
  image and the italic line under it. Not under the gettext builder: the
  message is the italic paragraph, which a translation translates first
  (Sphinx's Locale transform comes before this one), markup and all.
- A notebook cell's ``mystnb.figure.caption`` becomes its figure's caption,
  but its image keeps no alt text, and the HTML writer then uses the
  image's file path: every image of a captioned figure without alt text of
  its own gets the caption as alt text. In a translation the caption is
  translated first (Sphinx's Locale transform comes before this one), so
  the alt text is the translated caption; the catalogues hold the caption
  only (no copy under the gettext builder).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)
ATTACHMENT = "attachment:"


# The type the book shows where an attachment holds several (the PNG is
# there for JupyterLab, which shows no SVG attachment).
PREFERRED = ("image/svg+xml", "image/png", "image/jpeg", "image/gif")


def _attachments(notebook: Path) -> dict[str, str]:
    """Every attachment of the notebook's cells as a ``data:`` URI of its
    preferred type, by name."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = {}
    for cell in cells:
        for name, bundle in cell.get("attachments", {}).items():
            mime = next((m for m in PREFERRED if m in bundle), None)
            if mime:
                found[name] = f"data:{mime};base64,{''.join(bundle[mime])}"
    return found


class AttachedImages(SphinxTransform):
    # Before Sphinx's image collector reads the URIs (doctree-read).
    default_priority = 100

    def apply(self, **kwargs: Any) -> None:
        images = [
            image
            for image in self.document.findall(nodes.image)
            if image["uri"].startswith(ATTACHMENT)
        ]
        if not images:
            return
        source = Path(self.env.doc2path(self.env.docname))
        attached = _attachments(source)
        for image in images:
            name = image["uri"][len(ATTACHMENT) :]
            if name in attached:
                image["uri"] = attached[name]
            else:
                LOGGER.warning(
                    "no cell of %s has an attachment named %s",
                    source.name,
                    name,
                    location=image,
                )


def _only(paragraph: nodes.Node, kind: type) -> nodes.Node | None:
    """The one child of ``paragraph`` if it is a ``kind`` (blank text
    around it aside), else None."""
    if not isinstance(paragraph, nodes.paragraph):
        return None
    children = [
        c
        for c in paragraph.children
        if not (isinstance(c, nodes.Text) and not c.astext().strip())
    ]
    if len(children) == 1 and isinstance(children[0], kind):
        return children[0]
    return None


class CaptionedImages(SphinxTransform):
    # Before Sphinx gives captioned figures their ids for numbering (210).
    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return
        for paragraph in list(self.document.findall(nodes.paragraph)):
            image = _only(paragraph, nodes.image)
            parent = paragraph.parent
            if image is None or parent is None:
                continue
            at = parent.index(paragraph) + 1
            following = parent[at] if at < len(parent) else None
            words = _only(following, nodes.emphasis)
            if words is None:
                continue
            caption = nodes.caption(words.rawsource, "", *words.children)
            caption.source, caption.line = following.source, following.line
            figure = nodes.figure("", image.deepcopy(), caption)
            figure.source, figure.line = paragraph.source, paragraph.line
            following.parent.remove(following)
            paragraph.replace_self(figure)


class CaptionAsAlt(SphinxTransform):
    # After SmartQuotes (750): the alt text has the caption's curly quotes.
    default_priority = 800

    def apply(self, **kwargs: Any) -> None:
        if self.app.builder.name == "gettext":
            return
        for figure in self.document.findall(nodes.figure):
            caption = next(
                (c for c in figure.children if isinstance(c, nodes.caption)),
                None,
            )
            if caption is None:
                continue
            for image in figure.findall(nodes.image):
                if not image.get("alt"):
                    image["alt"] = " ".join(caption.astext().split())


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(AttachedImages)
    app.add_transform(CaptionedImages)
    app.add_transform(CaptionAsAlt)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
