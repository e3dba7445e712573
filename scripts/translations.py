"""Keep the translation catalogues in step with the English sources.

    .venv/bin/python scripts/translations.py update   # `make translations`
    .venv/bin/python scripts/translations.py status   # what is left to do
    .venv/bin/python scripts/translations.py check    # what a translation lost

``update`` writes the message catalogue templates (.pot, one per document)
from the current English sources with Sphinx's gettext builder, configured
as the book's build is (Jupyter Book's configuration from _config.yml and
_toc.yml; book/build.py), into _build/gettext/templates; then
``sphinx-intl update`` merges them into the catalogues of every translation,
locales/LANGUAGE/LC_MESSAGES/DOCUMENT.po: a new message comes in empty, a
changed one comes in marked fuzzy with the old translation as a hint, a
removed one stays at the end as an obsolete ``#~`` entry. A translator then
edits the .po files (a fuzzy entry counts as untranslated until its fuzzy
flag is removed) and runs ``make book``, which compiles them.

``status`` makes fresh templates and prints, per catalogue, how many
messages are translated, and which are not: missing from the .po (run
``update``), untranslated or fuzzy. tests/test_translations.py checks the
same.

``check`` reads every translated entry of the catalogues (or of the .po
files named after it) and prints what its translation lost of the English:
inline code, maths, a link's or a reference's target, a number, a caption's
italics; and a glossary term (book/glossary.md) translated other than the
glossary says. tests/test_translations.py checks the same.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
TEMPLATES = ROOT / "_build" / "gettext" / "templates"
sys.path.insert(0, str(ROOT / "book"))
import build  # noqa: E402  (book/build.py)

# Extensions that only add HTML (the wheel, the download buttons): the
# catalogues' build leaves them out.
HTML_ONLY = {"notebook_downloads"}
# The catalogue of the book's interface (Sphinx's own domain, which Sphinx
# and the themes translate their words with): the words of book/_ext marked
# with _(), the theme's search field (a theme option), and what the themes
# leave untranslated (pydata-sphinx-theme 0.17 in Chinese).
INTERFACE = "sphinx"
THEME_MESSAGES = [
    "Color mode",
    "System Settings",
    "© Copyright %(copyright)s.",
]


def translations() -> list[str]:
    """The languages of the translated editions (_config.yml)."""
    return [lang for lang, folder in build.editions().items() if folder]


def make_templates(folder: Path) -> Path:
    """Write the .pot templates of every document into ``folder`` (its
    doctrees beside it); the folder."""
    from jupyter_book.config import get_final_config

    config, _ = get_final_config(
        user_yaml=ROOT / "_config.yml",
        cli_config={"latex_individualpages": False},
        sourcedir=ROOT,
    )
    title = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))["title"]
    overrides = {
        "extensions": [e for e in config["extensions"] if e not in HTML_ONLY],
        "project": title,
        "nb_mime_priority_overrides": shown_outputs(config),
    }
    command = build.sphinx_command("gettext", folder, overrides, strict=False)
    subprocess.run(command, check=True)
    interface_template(folder, title, config)
    return folder


def shown_outputs(config: dict) -> list[list]:
    """myst-nb's choice among a cell output's formats for the gettext
    builder: the HTML's (its own prefers text/plain, and an image's alt text
    would be no message)."""
    from myst_nb.core.render import base_render_priority

    chosen = dict(base_render_priority()["html"])
    for builder, mime, priority in config.get(
        "nb_mime_priority_overrides", []
    ):
        if builder in ("html", "*"):
            chosen[mime] = priority
    return [["gettext", mime, priority] for mime, priority in chosen.items()]


def interface_template(folder: Path, title: str, config: dict) -> None:
    """Add the book's interface messages to the template of Sphinx's own
    domain (sphinx.pot, which the gettext builder writes when the book's
    templates hold words to translate)."""
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_file
    from babel.messages.pofile import read_po, write_po

    path = folder / f"{INTERFACE}.pot"
    if path.is_file():
        with open(path, "rb") as file:
            catalog = read_po(file)
    else:
        catalog = Catalog(project=title, charset="utf-8")
    search = config.get("html_theme_options", {}).get("search_bar_text")
    for message in [search, *THEME_MESSAGES]:
        if message:
            catalog.add(message)
    for source in sorted((ROOT / "book" / "_ext").glob("*.py")):
        for _, message, comments, _ in extract_from_file(
            "python", source, comment_tags=("Translators:",)
        ):
            catalog.add(message, auto_comments=comments)
    with open(path, "wb") as file:
        write_po(file, catalog, width=76)


@dataclass
class Report:
    """One catalogue against its template."""

    messages: int = 0
    missing: list[str] = field(default_factory=list)  # not in the .po
    untranslated: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)

    @property
    def left(self) -> list[str]:
        return self.missing + self.untranslated + self.fuzzy


def compare(templates: Path, language: str) -> dict[str, Report]:
    """Every template's messages against the catalogue of ``language``, by
    document (obsolete entries of a catalogue do not count)."""
    from babel.messages.pofile import read_po

    reports = {}
    for pot in sorted(templates.rglob("*.pot")):
        domain = pot.relative_to(templates).with_suffix("").as_posix()
        po = LOCALES / language / "LC_MESSAGES" / f"{domain}.po"
        with open(pot, encoding="utf-8") as file:
            template = read_po(file)
        catalog = {}
        if po.is_file():
            with open(po, encoding="utf-8") as file:
                catalog = {m.id: m for m in read_po(file) if m.id}
        report = Report()
        for message in template:
            if not message.id:
                continue
            report.messages += 1
            entry = catalog.get(message.id)
            if entry is None:
                report.missing.append(message.id)
            elif entry.fuzzy:
                report.fuzzy.append(message.id)
            elif not entry.string:
                report.untranslated.append(message.id)
        reports[domain] = report
    return reports


def summary(reports: dict[str, Report], language: str, shown: int = 5):
    """The reports as lines of text: counts per document, then the first
    messages left to translate."""
    lines = [
        f"{language}: translated/messages, missing from the .po, "
        "untranslated, fuzzy"
    ]
    width = max((len(d) for d in reports), default=0)
    for domain, r in reports.items():
        done = r.messages - len(r.left)
        lines.append(
            f"  {domain:<{width}}  {done:>3}/{r.messages:<3}  "
            f"{len(r.missing):>3} {len(r.untranslated):>3} {len(r.fuzzy):>3}"
        )
    left = [
        (domain, kind, message)
        for domain, r in reports.items()
        for kind in ("missing", "untranslated", "fuzzy")
        for message in getattr(r, kind)
    ]
    total = sum(r.messages for r in reports.values())
    lines.append(f"  {total - len(left)} of {total} messages translated")
    for domain, kind, message in left[:shown]:
        short = message if len(message) <= 70 else message[:67] + "..."
        lines.append(f"  {domain} ({kind}): {short}")
    return lines


# What a translation keeps as it is: code, maths, a role's name and target,
# a link's target. A role's words may be translated; its <target> not.
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
CODE = re.compile(r"``[^`]+``|`[^`]+`")
MATHS = re.compile(r"\$\$.+?\$\$|\$[^$]+\$", re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")
NUMBER = re.compile(r"(?<![\w.])\d+(?:\.\d+)?(?:e-?\d+)?")


def _kept(text: str) -> tuple[list[str], str]:
    """The pieces of a message a translation keeps as they are, sorted, and
    the words around them."""
    kept = []

    def role(match: re.Match) -> str:
        target = re.search(r"<([^>]+)>$", match.group(2))
        kept.append(
            f"{{{match.group(1)}}}"
            + (target or match).group(1 if target else 2)
        )
        return " "

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return " "

    def link(match: re.Match) -> str:
        kept.append(f"]({match.group(1)})")
        return "] "

    words = ROLE.sub(role, text)
    words = MATHS.sub(keep, words)
    words = CODE.sub(keep, words)
    words = LINK.sub(link, words)
    return sorted(kept), words


def glossary() -> dict[str, list[str]]:
    """Each English term of book/glossary.md (plurals too) -> its Chinese
    terms; an abbreviation in brackets (RNN) may stand for either."""
    terms: dict[str, list[str]] = {}
    table = (ROOT / "book" / "glossary.md").read_text(encoding="utf-8")
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("English", "---"):
            continue
        english, chinese = cells[0], cells[1]
        if ":" in english:
            continue
        english = re.sub(r"\*\w\*|`[^`]*`", "", english).strip()
        # A term in full-width brackets after another is a second name.
        chinese, *second = chinese.replace("\uff09", "").split("\uff08")
        aliases = re.findall(r"\(([^)]*)\)", english)
        plain = re.sub(r"\s*\([^)]*\)", "", english)
        en_terms = [t.strip() for t in plain.split(",")]
        zh_terms = [t.strip() for t in chinese.split("、")]
        if len(en_terms) != len(zh_terms):
            continue
        for en, zh in zip(en_terms, zh_terms, strict=True):
            names = [en] + [a for a in aliases if a and len(en_terms) == 1]
            for name in names:
                kind = "abbreviation" if name.isupper() else "term"
                terms.setdefault(name, []).append(zh)
                if len(en_terms) == 1:
                    terms[name].extend(second)
                if kind == "abbreviation":
                    terms[name].append(name)
    return terms


def translation_problems(
    english: str, chinese: str, terms: dict[str, list[str]] | None = None
) -> list[str]:
    """What the translation ``chinese`` lost of the message ``english``."""
    problems = []
    kept_en, words_en = _kept(english)
    kept_zh, words_zh = _kept(chinese)
    lost = [k for k in kept_en if k not in kept_zh]
    added = [k for k in kept_zh if k not in kept_en]
    if lost or added:
        problems.append(
            f"code, maths or targets differ: lost {lost}, added {added}"
        )
    numbers_zh = set(NUMBER.findall(words_zh))
    for number in sorted(set(NUMBER.findall(words_en)) - numbers_zh):
        problems.append(f"the number {number} is not in the translation")
    whole = english.startswith("*") and english.rstrip().endswith("*")
    if whole and not (
        chinese.startswith("*") and chinese.rstrip().endswith("*")
    ):
        problems.append(
            "the English is all in italics (a caption); the translation is not"
        )
    for term, chinese_terms in (terms or {}).items():
        pattern = rf"(?<![\w-]){re.escape(term)}(?:s|es)?(?![\w-])"
        flags = 0 if term.isupper() else re.I
        if re.search(pattern, words_en, flags) and not any(
            z in chinese for z in chinese_terms
        ):
            problems.append(
                f"glossary: {term!r} is {' or '.join(chinese_terms)}"
            )
    return problems


# Pages whose English words stay English in places on purpose: the glossary
# names each term in English, the references keep the titles of works as
# they were published. Their code, maths, targets and numbers are checked.
OWN_TERMS = {"glossary.po", "references.po"}


def check(paths: list[Path]) -> dict[str, list[str]]:
    """Every translated entry of these catalogues with what it lost:
    "file: first words of the message" -> problems."""
    from babel.messages.pofile import read_po

    terms = glossary()
    found = {}
    for path in paths:
        with open(path, encoding="utf-8") as file:
            catalog = read_po(file)
        for message in catalog:
            if not message.id or not message.string or message.fuzzy:
                continue
            if not isinstance(message.id, str):
                continue
            problems = translation_problems(
                message.id,
                message.string,
                None if path.name in OWN_TERMS else terms,
            )
            if problems:
                name = path.relative_to(LOCALES).as_posix()
                found[f"{name}: {message.id[:60]}"] = problems
    return found


def catalogues() -> list[Path]:
    """Every catalogue of every translation (the interface's too)."""
    return sorted(
        path
        for language in translations()
        for path in (LOCALES / language / "LC_MESSAGES").rglob("*.po")
    )


def update() -> int:
    make_templates(TEMPLATES)
    for language in translations():
        command = [sys.executable, "-m", "sphinx_intl", "update"]
        command += ["--pot-dir", str(TEMPLATES), "--locale-dir", str(LOCALES)]
        command += ["--language", language]
        subprocess.run(command, check=True, cwd=ROOT)
    return 0


def status() -> int:
    left = 0
    with tempfile.TemporaryDirectory() as tmp:
        templates = make_templates(Path(tmp) / "templates")
        for language in translations():
            reports = compare(templates, language)
            print("\n".join(summary(reports, language)))
            left += sum(len(r.left) for r in reports.values())
    return 1 if left else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["update", "status", "check"])
    parser.add_argument("po", nargs="*", type=Path, help="check: these only")
    args = parser.parse_args()
    if args.command == "check":
        found = check([p.resolve() for p in args.po] or catalogues())
        for entry, problems in found.items():
            print(entry)
            for problem in problems:
                print(f"    {problem}")
        return 1 if found else 0
    return update() if args.command == "update" else status()


if __name__ == "__main__":
    sys.exit(main())
