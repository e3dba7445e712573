"""Every notebook shows all its images when it is opened alone: each copied
into an empty folder and opened in JupyterLab, as a reader who downloads
one notebook opens it. The diagrams are the notebooks' own attachments, not
files beside them.

    .venv/bin/pytest -q tests/lab/test_images.py
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bookpages import CHROMIUM, launch_chromium
from labserver import running_lab

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
IMAGE_TYPES = ("image/svg+xml", "image/png", "image/jpeg")

# Every image in the notebook's panel: loaded, and its source.
IMAGES = """() => [...document.querySelectorAll(
        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook img')]
    .map(img => ({loaded: img.complete && img.naturalWidth > 0,
                  src: (img.getAttribute('src') || '').slice(0, 60)}))"""


def images_in(notebook: Path) -> int:
    """How many images the notebook shows: Markdown images and image
    outputs."""
    count = 0
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            count += len(MARKDOWN_IMAGE.findall(source))
        for output in cell.get("outputs", []):
            if any(kind in output.get("data", {}) for kind in IMAGE_TYPES):
                count += 1
    return count


@pytest.fixture(scope="module")
def page():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with running_lab(alone=True) as lab, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.lab = lab
        yield page
        browser.close()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_alone_shows_all_its_images(page, notebook):
    expected = images_in(notebook)
    page.goto(
        f"{page.lab.url}lab/tree/{notebook.stem}/{notebook.name}"
        "?reset"  # a fresh workspace: only this notebook open
    )
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    if expected:
        page.wait_for_function(
            f"() => ({IMAGES})().filter(i => i.loaded).length >= {expected}",
            timeout=30_000,
        )
    images = page.evaluate(IMAGES)
    broken = [image["src"] for image in images if not image["loaded"]]
    assert not broken, f"{notebook.name}: images not shown: {broken}"
    assert len(images) >= expected, (
        f"{notebook.name}: {len(images)} images shown of {expected}"
    )
