"""Every notebook page offers its notebook, and the package it needs, for
download.

The chapters import ``sincos``, and the book may be read offline without the
project's sources. So each build makes a wheel of the package and ships it at
the top of the book; every notebook page then gets

- the theme's download button for the ``.ipynb`` out of its menu and into the
  header, labelled, where a reader finds it;
- one line under the title saying how to run the chapter: download the
  notebook and the wheel, ``pip install`` the wheel, open the notebook.

The button and the line speak the edition's language. book/build.py
builds the wheel once for all editions and names its folder in
``sincos_wheel_dir``; without it, each build makes its own.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.errors import ExtensionError
from sphinx.locale import _
from sphinx.transforms import SphinxTransform
from sphinx.util.osutil import relative_uri

# What pyproject.toml needs to build the package.
PACKAGE_SOURCES = ("pyproject.toml", "README.md", "sincos")
NOTE_CLASS = "sincos-run-note"
BUTTON_LABEL = "download-notebook-button"


def build_wheel(root: Path, folder: Path) -> Path:
    """Build the package's wheel into ``folder`` (emptied first); its path.

    pip builds from a copy of the sources: built in place, setuptools would
    leave build/ and *.egg-info/ folders in the project."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "source"
        source.mkdir()
        for name in PACKAGE_SOURCES:
            path = root / name
            if path.is_dir():
                shutil.copytree(
                    path,
                    source / name,
                    ignore=shutil.ignore_patterns("__pycache__"),
                )
            else:
                shutil.copy2(path, source / name)
        # No build isolation: the build uses the environment's setuptools
        # (the book extra) and downloads nothing.
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps"]
        command += ["--no-build-isolation", "--quiet"]
        command += ["--wheel-dir", str(folder), str(source)]
        done = subprocess.run(command, capture_output=True, text=True)
    wheels = sorted(folder.glob("*.whl"))
    if done.returncode != 0 or len(wheels) != 1:
        raise ExtensionError(
            f"notebook_downloads: pip could not build the package's wheel "
            f"({' '.join(command)}):\n{done.stderr}"
        )
    return wheels[0]


def ship_wheel(app: Sphinx, config: Config) -> None:
    """Build the wheel (or take the one in ``sincos_wheel_dir``) and have
    Sphinx copy it to the top of the book."""
    if config.sincos_wheel_dir:
        wheels = sorted(Path(config.sincos_wheel_dir).glob("*.whl"))
        if len(wheels) != 1:
            raise ExtensionError(
                f"notebook_downloads: not one wheel in "
                f"{config.sincos_wheel_dir}: {wheels}"
            )
        wheel = wheels[0]
    else:
        wheel = build_wheel(
            Path(app.srcdir), Path(app.outdir).parent / "wheel"
        )
    config.html_extra_path = [*config.html_extra_path, str(wheel.parent)]
    # A new file name (a new version) makes Sphinx read every page again.
    config.sincos_wheel = wheel.name


def is_notebook(app: Sphinx, docname: str) -> bool:
    return Path(app.env.doc2path(docname)).suffix == ".ipynb"


# The note's words, a template for str.format: the links' targets and the
# wheel's name go in. In a translation they come from the catalogue of the
# book's interface (locales/LANGUAGE/LC_MESSAGES/sphinx.po).
# Translators: keep the HTML and the names in braces as they are.
RUN_NOTE = _(
    "<strong>Run this chapter yourself:</strong> download"
    ' <a href="{notebook}" download>the notebook</a> and'
    ' <a href="{wheel}" download>the <code>sincos</code> package</a>,'
    " install it with <code>pip install {name}</code> (in Colab: upload it,"
    " then <code>%pip install</code> it), and open the notebook in Jupyter"
    " or Colab."
)
BUTTON_TEXT = _("Notebook")
BUTTON_TOOLTIP = _("Download this notebook (.ipynb)")


def run_note(page: str, notebook: str, wheel: str) -> str:
    """The line under a notebook page's title, as HTML; links are relative
    to ``page``."""
    note = str(RUN_NOTE).format(
        notebook=html.escape(relative_uri(page, notebook)),
        wheel=html.escape(relative_uri(page, wheel)),
        name=html.escape(wheel),
    )
    return f'<p class="{NOTE_CLASS}">{note}</p>'


class RunNote(SphinxTransform):
    """Put the run note right under the title of every notebook page."""

    default_priority = 500

    def apply(self, **kwargs: Any) -> None:
        docname = self.env.docname
        if not is_notebook(self.app, docname):
            return
        section = next(self.document.findall(nodes.section), None)
        if section is None:
            return
        note = run_note(
            self.app.builder.get_target_uri(docname),
            f"_sources/{docname}.ipynb",  # what the theme's button links
            self.config.sincos_wheel,
        )
        section.insert(1, nodes.raw("", note, format="html"))


def unfold_notebook_button(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree
) -> None:
    """On a notebook page, take the theme's ``.ipynb`` download link out of
    its download menu and show it in the header with a label."""
    if context.get("page_source_suffix") != ".ipynb":
        return
    buttons = context.get("header_buttons", [])
    group = next(
        (b for b in buttons if b.get("label") == "download-buttons"), None
    )
    if group is None:
        return
    source = next(
        (
            b
            for b in group["buttons"]
            if b.get("label") == "download-source-button"
        ),
        None,
    )
    if source is None:
        return
    group["buttons"].remove(source)
    buttons.insert(
        0,
        {
            **source,
            "text": str(BUTTON_TEXT),
            "icon": "fas fa-download",
            "tooltip": str(BUTTON_TOOLTIP),
            "label": BUTTON_LABEL,
        },
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("sincos_wheel", "", "env")
    app.add_config_value("sincos_wheel_dir", "", "env")
    # Before Sphinx checks html_extra_path (priority 800).
    app.connect("config-inited", ship_wheel, priority=500)
    app.add_transform(RunNote)
    # After the book theme has made its header buttons (priority 501).
    app.connect("html-page-context", unfold_notebook_button, priority=600)
    return {
        "version": "1.0",
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
