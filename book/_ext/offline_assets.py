"""Serve MathJax from the book itself, or fall back to a CDN; give the pages
that show a widget the scripts that make it live.

_config.yml points ``mathjax_path`` at a copy that ``book/fetch_assets.sh``
puts in a folder named in ``html_static_path``. When it is missing (npm was
not available), this extension prints one line and puts the setting back to
its CDN default, so the book still builds with ``-W``.

The notebooks' widgets store a placeholder as their HTML output,
``<div class="sincos-widget" data-kind="...">``, which the book shows in
place of the widget (myst-nb's mime priority, _config.yml). A page with one
gets the widgets' own script, ``sincos/widgets.js`` (the package's file,
copied into the build), which mounts a live widget on it; an explorer also
needs TensorFlow.js and the initial weights, a time-step viewer the weights.
Other pages load none of them. Without TensorFlow.js (no npm) an explorer's
placeholder keeps its text.

The top folder's index.html, which only sends the browser on to the first
page, names the book's icon too (else a browser asks the server for
/favicon.ico, which is not there).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.ext.mathjax import MATHJAX_URL

ROOT = Path(__file__).resolve().parents[2]
WIDGETS = ROOT / "sincos" / "widgets.js"
# Paths inside the html_static_path folders, in load order, by what a page
# shows; widgets.js comes last and mounts the widgets.
NEEDS = {
    'data-kind="explorer"': ("tfjs/tf.es2017.min.js", "sincos-weights.js"),
    'data-kind="time-steps"': ("sincos-weights.js",),
}
MARK = 'class="sincos-widget"'


def _in_static_folders(srcdir: Path, config: Config, path: str) -> bool:
    """Whether a folder of html_static_path holds ``path``."""
    return any(
        (srcdir / folder / path).is_file()
        for folder in config.html_static_path
    )


def use_cdn_when_missing(app: Sphinx, config: Config) -> None:
    srcdir = Path(app.srcdir)
    path = config.mathjax_path
    local = "://" not in path and not path.startswith("//")
    if local and not _in_static_folders(srcdir, config, path):
        # Not a Sphinx warning (the build runs with -W) and not an info line
        # (-q hides it).
        print(
            f"offline_assets: {path} not found (run book/fetch_assets.sh); "
            "loading MathJax from a CDN instead",
            file=sys.stderr,
        )
        config.mathjax_path = MATHJAX_URL
    config.html_static_path = [
        entry for entry in config.html_static_path if (srcdir / entry).is_dir()
    ]
    # The package's widgets.js, through a folder of its own in the build.
    folder = Path(app.outdir).parent / "widgets-js"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy2(WIDGETS, folder / WIDGETS.name)
    config.html_static_path.append(str(folder))


def add_widget_scripts(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """Load the widgets' scripts on a page that has a widget to mount (like
    sphinx.ext.mathjax, which adds MathJax to pages with math only)."""
    body = context.get("body", "")
    if MARK not in body:
        return
    srcdir = Path(app.srcdir)
    scripts = []
    for mark, paths in NEEDS.items():
        if mark in body:
            scripts += [p for p in paths if p not in scripts]
    for path in scripts:
        if _in_static_folders(srcdir, app.config, path):
            app.add_js_file(path, loading_method="defer")
    app.add_js_file(WIDGETS.name, loading_method="defer")


def write_redirect(app: Sphinx, exception: Exception | None) -> None:
    """index.html, sending the browser on to the root page, with the icon.

    sphinx-external-toc writes a bare one (no icon) unless the file exists.
    """
    if exception is not None or app.builder.format != "html":
        return
    index = Path(app.outdir) / "index.html"
    root = app.config.root_doc
    if root == "index" or index.exists():
        return
    icon = Path(app.config.html_favicon or "").name
    link = f'<link rel="icon" href="_static/{icon}" />\n' if icon else ""
    index.write_text(
        f'<meta http-equiv="Refresh" content="0; url={root}.html" />\n' + link,
        encoding="utf-8",
    )


def setup(app: Sphinx) -> dict[str, Any]:
    # Before Sphinx validates html_static_path (priority 800).
    app.connect("config-inited", use_cdn_when_missing, priority=400)
    app.connect("html-page-context", add_widget_scripts)
    # Before sphinx-external-toc's own (priority 500).
    app.connect("build-finished", write_redirect, priority=400)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
