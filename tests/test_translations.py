# ruff: noqa: RUF001 (Chinese text has its own punctuation)
"""The Chinese edition's translation catalogues and its notebooks.

The catalogues (locales/zh_CN/LC_MESSAGES/*.po) must hold every message of
the current English sources, translated: the templates are made afresh from
the sources (scripts/translations.py, Sphinx's gettext builder) so that an
English edit that nobody translated yet is caught. Until the whole book is
translated, test_every_message_is_translated fails and says how much is
left. Each translation keeps the English's code, maths, link targets and
numbers, and the glossary's term for each term it translates.

The translated notebooks (book/_ext/notebook_translation.py) put each
block's translation in its place and keep the rest of the notebook as it
is.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))
sys.path.insert(0, str(ROOT / "scripts"))
import notebook_translation as nt  # noqa: E402
import translations  # noqa: E402

sys.path.insert(0, str(ROOT / "tests" / "book"))
from bookpages import toc_docnames  # noqa: E402

LANGUAGES = translations.translations()


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> Path:
    """The message catalogue templates (.pot) of the current sources."""
    folder = tmp_path_factory.mktemp("gettext") / "templates"
    return translations.make_templates(folder)


def test_there_is_a_translation() -> None:
    assert LANGUAGES == ["zh_CN"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_document_has_a_catalogue(language: str) -> None:
    folder = translations.LOCALES / language / "LC_MESSAGES"
    missing = [
        doc for doc in toc_docnames() if not (folder / f"{doc}.po").is_file()
    ]
    assert not missing, (
        f"no catalogue in {folder} for {missing}: run `make translations`"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogues_hold_every_message_of_the_sources(
    templates: Path, language: str
) -> None:
    reports = translations.compare(templates, language)
    assert set(reports) >= set(toc_docnames()), "a document has no template"
    missing = {d: r.missing for d, r in reports.items() if r.missing}
    assert not missing, (
        "messages of the English sources missing from the catalogues (run "
        "`make translations`):\n"
        + "\n".join(translations.summary(reports, language))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(templates: Path, language: str) -> None:
    reports = translations.compare(templates, language)
    left = sum(len(r.left) for r in reports.values())
    assert not left, (
        f"{left} messages are not translated (missing from the .po, "
        "untranslated or fuzzy); edit the .po files in "
        f"locales/{language}/LC_MESSAGES (after `make translations`):\n"
        + "\n".join(translations.summary(reports, language))
    )


def test_every_translation_keeps_code_targets_numbers_and_terms() -> None:
    found = translations.check(translations.catalogues())
    assert not found, "\n".join(
        f"{entry}: {'; '.join(problems)}" for entry, problems in found.items()
    )


TERMS = {"learning rate": ["学习率"], "LSTM": ["长短期记忆网络", "LSTM"]}


@pytest.mark.parametrize(
    ("english", "chinese", "problem"),
    [
        ("Call `train()` now.", "现在调用 train()。", "code"),
        ("The cost is $T$ times it.", "代价是它的 T 倍。", "maths"),
        (
            "See [the data](02_data.ipynb).",
            "见[数据](03_model.ipynb)。",
            "targets",
        ),
        (
            "See {doc}`the data <02_data>`.",
            "见 {doc}`数据 <03_data>`。",
            "targets",
        ),
        ("It falls below 1 at 45.", "它在 4 处降到 1 以下。", "number 45"),
        ("*Fig. caption.*", "图的说明。", "italics"),
        ("A learning rate of 0.02.", "步长为 0.02。", "'learning rate'"),
    ],
)
def test_a_lost_piece_of_the_english_is_named(english, chinese, problem):
    problems = translations.translation_problems(english, chinese, TERMS)
    assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("Call `train()` with $T$ = 20.", "用 $T$ = 20 调用 `train()`。"),
        ("See {doc}`the data <02_data>`.", "见 {doc}`数据 <02_data>`。"),
        ("*Three learning rates.*", "*三个学习率。*"),
        ("An LSTM learns.", "LSTM 会学习。"),
        ("The `learning_rate` field.", "`learning_rate` 字段。"),
    ],
)
def test_a_faithful_translation_has_no_problems(english, chinese):
    assert translations.translation_problems(english, chinese, TERMS) == []


def metadata_messages(notebook: dict) -> set[str]:
    """The words of a notebook's cell metadata that the book shows: figure
    captions, image alt texts, the prompts of hidden cells."""
    found = set()
    for cell in notebook["cells"]:
        meta = cell.get("metadata", {}).get("mystnb", {})
        found.add(meta.get("figure", {}).get("caption"))
        found.add(meta.get("image", {}).get("alt"))
        found.add(meta.get("code_prompt_show"))
        found.add(meta.get("code_prompt_hide"))
    return {nt.message_of(m) for m in found if m and nt.needs_translation(m)}


def toc_captions() -> set[str]:
    """The captions of _toc.yml's parts: messages of the root page."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return {part["caption"] for part in toc.get("parts", [])}


def source_of(docname: str) -> Path:
    return next(
        path
        for path in (ROOT / f"{docname}.ipynb", ROOT / f"{docname}.md")
        if path.is_file()
    )


@pytest.mark.parametrize("docname", toc_docnames())
def test_the_blocks_translated_are_the_messages_sphinx_extracts(
    templates: Path, docname: str
) -> None:
    """What the translated downloads look up in a page's Markdown (a
    notebook's markdown cells, a Markdown page), with the words of a
    notebook's metadata and the root page's part captions, is exactly the
    page's messages."""
    from babel.messages.pofile import read_po

    asked: set[str] = set()
    source = source_of(docname)
    text = source.read_text(encoding="utf-8")
    other = toc_captions() if docname == toc_docnames()[0] else set()
    if source.suffix == ".ipynb":
        notebook = json.loads(text)
        nt.translate_notebook(notebook, lambda m: asked.add(m))
        other |= metadata_messages(notebook)
    else:
        nt.translate_markdown(text, lambda m: asked.add(m))
    with open(templates / f"{docname}.pot", "rb") as file:
        messages = {m.id for m in read_po(file) if m.id}
    assert asked - messages == set(), "blocks Sphinx does not extract"
    assert messages - asked - other == set(), "messages not found"


# -- the translated notebooks ---------------------------------------------

PARSER = nt.markdown_parser()


def translate(text: str, catalog: dict[str, str]) -> nt.Translated:
    return nt.translate_markdown(text, catalog.get, PARSER)


def test_a_heading_keeps_its_level_and_a_paragraph_becomes_one_line() -> None:
    text = "## The batch generator\n\nThe points of the curve\nare numbered."
    done = translate(
        text,
        {
            "The batch generator": "批量生成器",
            "The points of the curve are numbered.": "曲线上的点有编号。",
        },
    )
    assert done.text == "## 批量生成器\n\n曲线上的点有编号。"
    assert (done.translated, done.untranslated) == (2, [])


def test_a_block_without_translation_stays_english_and_is_counted() -> None:
    text = "# Summary\n\nFirst line\nsecond line.\n\nDone."
    done = translate(text, {"Summary": "小结", "Done.": ""})
    assert done.text == "# 小结\n\nFirst line\nsecond line.\n\nDone."
    assert done.translated == 1
    assert done.untranslated == ["First line second line.", "Done."]


def test_list_items_keep_their_markers_and_nesting() -> None:
    text = "- one\n  continued\n- two\n  1. inner\n\n1. first\n2. second\n"
    catalog = {
        "one continued": "一",
        "inner": "内",
        "second": "二",
    }
    done = translate(text, catalog)
    assert done.text == "- 一\n- two\n  1. 内\n\n1. first\n2. 二\n"
    assert done.untranslated == ["two", "first"]


def test_a_translation_over_several_lines_stays_in_its_list_item() -> None:
    done = translate("- one\n- two\n", {"one": "第一行\n第二行"})
    assert done.text == "- 第一行\n  第二行\n- two\n"


def test_table_cells_are_translated_in_their_row() -> None:
    text = (
        "| English | 中文 |\n| --- | --- |\n"
        "| a \\| b | {doc}`/x` |\n| batch | 批量 |\n"
    )
    done = translate(text, {"English": "英文", "a | b": "甲 | 乙"})
    assert done.text == (
        "| 英文 | 中文 |\n| --- | --- |\n"
        "| 甲 \\| 乙 | {doc}`/x` |\n| batch | 批量 |\n"
    )
    # "中文", "批量" and a bare {doc} reference are no messages.
    assert done.untranslated == ["batch"]


def test_a_directive_keeps_its_options_and_translates_title_and_body() -> None:
    text = (
        "::::{tab-set}\n:::{tab-item} TF2: the whole program\n:sync: tf2\n\n"
        "Body text\non two lines.\n\n```python\nprint('Body text')\n```\n"
        ":::\n::::\n"
    )
    done = translate(
        text,
        {
            "TF2: the whole program": "TF2：完整程序",
            "Body text on two lines.": "正文。",
        },
    )
    assert done.text == (
        "::::{tab-set}\n:::{tab-item} TF2：完整程序\n:sync: tf2\n\n"
        "正文。\n\n```python\nprint('Body text')\n```\n:::\n::::\n"
    )


def test_code_and_maths_are_left_alone() -> None:
    text = "```python\n# The batch generator\n```\n\n$$\nx = y\n$$\n"
    asked = []
    done = nt.translate_markdown(text, asked.append, PARSER)
    assert done.text == text and asked == []


def test_an_image_alone_translates_its_alt_text() -> None:
    text = "Before.\n\n![A grid of\nwindows](../book/images/x.svg)\n"
    done = translate(text, {"A grid ofwindows": "窗口网格"})
    assert done.text == "Before.\n\n![窗口网格](../book/images/x.svg)\n"
    assert done.untranslated == ["Before."]


def test_an_image_in_a_paragraph_goes_with_the_paragraph() -> None:
    text = "See ![a plot](p.svg) here."
    whole = translate(
        text, {"See ![a plot](p.svg) here.": "见 ![图](p.svg)。"}
    )
    assert whole.text == "见 ![图](p.svg)。"
    alt = translate(text, {"a plot": "图"})
    assert alt.text == "See ![图](p.svg) here."
    assert alt.untranslated == ["See ![a plot](p.svg) here."]


@pytest.mark.parametrize(
    ("message", "needed"),
    [
        ("The batch generator", True),
        ("{doc}`/notebooks/02_data`", False),
        ("{doc}`the data chapter </notebooks/02_data>`", True),
        ("{term}`window`", True),
        ("`hp.time_steps` = 20", False),
        ("$h_t = o_t \\odot \\tanh(c_t)$", False),
        ("超参数", False),
        ("[](01_hyperparameters.ipynb)", False),
        ("https://github.com/MorvanZhou/tutorials", False),
        ("Adam 优化器", True),
    ],
)
def test_what_needs_translation(message: str, needed: bool) -> None:
    assert nt.needs_translation(message) is needed


def test_a_translated_notebook_changes_markdown_only() -> None:
    path = ROOT / "notebooks" / "02_data.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    translated, counts = nt.translate_notebook(notebook, lambda m: "译文")
    assert counts.translated > 20 and not counts.untranslated
    assert translated["metadata"] == notebook["metadata"]
    assert len(translated["cells"]) == len(notebook["cells"])
    for before, after in zip(
        notebook["cells"], translated["cells"], strict=True
    ):
        if before["cell_type"] == "markdown":
            assert after["metadata"] == before["metadata"]
            assert isinstance(after["source"], type(before["source"]))
        else:
            assert after == before
    assert notebook == json.loads(path.read_text(encoding="utf-8"))


def test_a_catalogue_is_read_without_fuzzy_or_empty_entries(tmp_path):
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    catalog = Catalog(locale="zh_CN")
    catalog.add("Summary", "小结")
    catalog.add("Exercises", "练习", flags=["fuzzy"])
    catalog.add("One batch", "")
    path = tmp_path / "page.mo"
    with open(path, "wb") as file:
        write_mo(file, catalog)
    assert nt.read_catalog(path) == {"Summary": "小结"}


def test_a_figures_alt_option_and_caption_are_translated() -> None:
    text = (
        "```{figure} images/fit.svg\n:alt: A line plot.\n:width: 80%\n\n"
        "After 500 iterations.\n```\n"
    )
    done = translate(
        text,
        {"A line plot.": "折线图。", "After 500 iterations.": "500 次后。"},
    )
    assert done.text == (
        "```{figure} images/fit.svg\n:alt: 折线图。\n:width: 80%\n\n"
        "500 次后。\n```\n"
    )
