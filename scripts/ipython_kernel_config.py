"""How the kernel draws the chapters' figures: SVG, the same bytes every run,
and PNG beside it.

scripts/execute_notebooks.py starts its kernel with this file
(``--config``), so the stored outputs the book shows are vector images
that stay sharp at any zoom. JupyterLab shows an SVG output only in a
notebook it trusts, and a notebook that a reader downloads or copies is not
trusted until its cells run: there it shows the PNG.

nbval must draw both too, or it reports a stored image as missing: this
file linked into the environment's ``etc/ipython/`` (under ``sys.prefix``)
applies to every kernel started from that environment. tests/sanitize.cfg
keeps nbval from comparing the SVG drawings themselves, as it does not
compare PNG images.
"""

c = get_config()  # noqa: F821 (IPython defines it when it loads this file)

c.InlineBackend.figure_formats = {"svg", "png"}
c.InlineBackend.rc = {
    # A PNG as wide as the SVG shows (96 pixels to the inch); the SVG does
    # not depend on it.
    "figure.dpi": 96,
    # The book shows a figure 1:1, a point as 4/3 CSS pixels. At 11 points
    # even the smallest text, the exponents of a log scale's tick labels
    # (7/10 of their size), is above 10 pixels on screen.
    "font.size": 11,
    # Text stays text (sharp, searchable, files about 30 % smaller than with
    # glyph outlines); the browser draws it in DejaVu Sans or a fallback.
    "svg.fonttype": "none",
    # Element ids from a fixed salt instead of random ones: re-running a
    # notebook does not change its stored figures unless the drawing does.
    "svg.hashsalt": "sincos",
}
# No creation date in the file, for the same reason.
c.InlineBackend.print_figure_kwargs = {
    "bbox_inches": "tight",
    "metadata": {"Date": None},
}
