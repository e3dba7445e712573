"""Serve MathJax and the widget manager from the book itself, or fall back to
CDNs; load the in-browser explorer's scripts on the pages that show it.

_config.yml points ``mathjax_path`` and myst-nb's ``nb_ipywidgets_js`` at
copies that ``book/fetch_assets.sh`` puts in a folder named in
``html_static_path``. When those copies are missing (npm was not available),
this extension prints one line and puts the three settings back to their CDN
defaults, so the book still builds with ``-W``.

A page whose HTML holds a ``<div class="sincos-explorer">`` (placed in a
notebook's markdown cell) gets TensorFlow.js, the initial weights and the
explorer as deferred scripts; other pages load none of them. Without
TensorFlow.js (no npm) the div keeps its fallback text.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from myst_nb.core.config import ipywidgets_js_factory
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.ext.mathjax import MATHJAX_URL

# In load order; paths inside the html_static_path folders.
EXPLORER_SCRIPTS = (
    "tfjs/tf.es2017.min.js",
    "sincos-weights.js",
    "sincos-explorer.js",
)
EXPLORER_MARK = 'class="sincos-explorer"'


def _is_local(path: str) -> bool:
    return "://" not in path and not path.startswith("//")


def _in_static_folders(srcdir: Path, config: Config, path: str) -> bool:
    """Whether a folder of html_static_path holds ``path``."""
    return any(
        (srcdir / folder / path).is_file()
        for folder in config.html_static_path
    )


def _missing_assets(srcdir: Path, config: Config) -> list[str]:
    """Local asset paths (relative to html_static_path) that no static
    folder holds."""
    wanted = [config.mathjax_path, *config.nb_ipywidgets_js]
    return [
        path
        for path in wanted
        if _is_local(path) and not _in_static_folders(srcdir, config, path)
    ]


def use_cdn_when_missing(app: Sphinx, config: Config) -> None:
    srcdir = Path(app.srcdir)
    missing = _missing_assets(srcdir, config)
    if not missing:
        return
    # Not a Sphinx warning (the build runs with -W) and not an info line (-q
    # hides it).
    print(
        f"offline_assets: {', '.join(missing)} not found (run "
        "book/fetch_assets.sh); loading MathJax and widget JS from CDNs "
        "instead",
        file=sys.stderr,
    )
    config.mathjax_path = MATHJAX_URL
    config.nb_ipywidgets_js = ipywidgets_js_factory()
    config.html_static_path = [
        entry for entry in config.html_static_path if (srcdir / entry).is_dir()
    ]


def add_explorer_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Load the explorer's scripts on a page that has an explorer to mount
    (like sphinx.ext.mathjax, which adds MathJax to pages with math only)."""
    if EXPLORER_MARK not in context.get("body", ""):
        return
    srcdir = Path(app.srcdir)
    if all(
        _in_static_folders(srcdir, app.config, path)
        for path in EXPLORER_SCRIPTS
    ):
        for path in EXPLORER_SCRIPTS:
            app.add_js_file(path, loading_method="defer")


def setup(app: Sphinx) -> dict[str, Any]:
    # Before Sphinx validates html_static_path (priority 800) and myst-nb
    # reads its config (builder-inited).
    app.connect("config-inited", use_cdn_when_missing, priority=400)
    app.connect("html-page-context", add_explorer_scripts)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
