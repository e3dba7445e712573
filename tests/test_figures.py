"""The book's figures, drawn by scripts/make_figures.py.

The diagrams the notebooks carry are the bytes the script draws, and every
figure is
one content column wide, keeps its text at 10 px or more and uses only the
colours of ``sincos.plotting``. The fit is trained in the script and its
curves differ in the last digits from one CPU to another, so only the
diagrams are compared with what the notebooks carry; the fit is drawn (about
1 s of training here, after TensorFlow's import) and checked like the
others.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import matplotlib
import pytest
from matplotlib.text import Text

import sincos.plotting as plotting

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
import make_figures  # noqa: E402

DIAGRAMS = ["lstm_cell", "batch_layout"]
PALETTE = {
    value.lower()
    for name, value in vars(plotting).items()
    if name.isupper() and isinstance(value, str) and value.startswith("#")
} | {"#ffffff"}  # the background


@pytest.mark.parametrize("name", DIAGRAMS)
def test_the_notebooks_carry_the_diagram_the_script_draws(name, tmp_path):
    assert make_figures.main([name, "--out", str(tmp_path)]) == 0
    drawn = (tmp_path / f"{name}.svg").read_bytes()
    carried = make_figures.attached(name)
    assert carried, f"no notebook carries {name}.svg"
    for notebook, svg in carried.items():
        assert svg == drawn, (
            f"{notebook.name} carries a {name}.svg that is not what the "
            f"script draws with Matplotlib {matplotlib.__version__}: run "
            f".venv/bin/python scripts/make_figures.py {name}"
        )


@pytest.fixture(scope="module", params=[*DIAGRAMS, "fit"])
def drawn(request, tmp_path_factory):
    """A figure and the SVG text the script writes for it."""
    fig = make_figures.FIGURES[request.param]()
    path = tmp_path_factory.mktemp("figures") / f"{request.param}.svg"
    return fig, make_figures.save(fig, path).read_text(encoding="utf-8")


def test_figure_is_as_wide_as_the_content_column(drawn):
    _, svg = drawn
    width = re.search(r'<svg [^>]*width="([\d.]+)pt"', svg)
    assert width, "no width in points on the <svg> element"
    assert float(width[1]) * 4 / 3 == pytest.approx(make_figures.COLUMN_PX)


# A sub- or superscript in mathtext ($h_t$) is 0.7 times the font size.
SCRIPT = re.compile(r"\$[^$]*[_^][^$]*\$")


def smallest_px(text: Text) -> float:
    """The size of the smallest characters of ``text`` in CSS pixels."""
    shrink = 0.7 if SCRIPT.search(text.get_text()) else 1.0
    return text.get_fontsize() * 4 / 3 * shrink


def test_figure_text_is_at_least_10_px_on_screen(drawn):
    fig, _ = drawn  # drawn and laid out by save()
    sizes = {
        t.get_text(): smallest_px(t)
        for t in fig.findobj(Text)
        if t.get_visible() and t.get_text().strip()
    }
    assert sizes, "the figure has no text"
    small = {words: px for words, px in sizes.items() if px < 10}
    assert not small, f"text below 10 px: {small}"


def test_figure_uses_only_the_books_colours(drawn):
    _, svg = drawn
    colours = {c.lower() for c in re.findall(r"#[0-9A-Fa-f]{6}\b", svg)}
    assert colours, "no colours found in the SVG"
    assert colours <= PALETTE, (
        f"colours not in the palette: {colours - PALETTE}"
    )


def test_unknown_figure_name_is_refused_and_nothing_drawn(tmp_path, capsys):
    out = tmp_path / "images"
    with pytest.raises(SystemExit) as refused:
        make_figures.main(["lstm_cell", "lstm", "--out", str(out)])
    assert refused.value.code == 2
    error = capsys.readouterr().err
    assert "no figure named lstm;" in error
    assert "nothing was drawn" in error
    assert not out.exists()


# A Markdown image, ![alt](src): Markdown drops the line breaks of an alt
# text that runs over several lines, joining the words at them ("49from").
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)]*)\)")


def test_markdown_images_keep_their_alt_text_on_one_line():
    sources = [*ROOT.glob("book/*.md")]
    texts = {path.name: path.read_text(encoding="utf-8") for path in sources}
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        for k, cell in enumerate(cells):
            if cell["cell_type"] == "markdown":
                texts[f"{notebook.name} cell {k}"] = "".join(cell["source"])
    images = [
        (name, alt)
        for name, text in texts.items()
        for alt, _ in IMAGE.findall(text)
    ]
    assert images, "no Markdown image found"
    broken = [(name, alt[:40]) for name, alt in images if "\n" in alt]
    assert not broken, f"alt text over several lines: {broken}"
