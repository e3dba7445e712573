"""Give a figure's image its caption as alt text.

A notebook cell's ``mystnb.figure.caption`` becomes the figure's caption, but
its image keeps no alt text, and the HTML writer then uses the image's file
path. This transform copies the caption into every image of a captioned
figure that has no alt text of its own (``mystnb.image.alt`` still wins), in
notebooks and Markdown pages alike.

In a translation the caption is translated first (Sphinx's Locale transform
comes before this one), so the alt text is the translated caption; the
translation catalogues hold the caption only (no copy under the gettext
builder).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform


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
    app.add_transform(CaptionAsAlt)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
