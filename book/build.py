"""Build the book's editions into _build/html, with warnings as errors, and
print where they are.

    .venv/bin/python book/build.py

The English edition goes to _build/html, the Chinese one to
_build/html/zh_CN: the same sources, the Chinese through the translation
catalogues in locales/zh_CN (see scripts/translations.py; a message not yet
translated shows in English). _config.yml lists the editions
(``sincos_editions``).

Fetches the offline JavaScript first (book/fetch_assets.sh; a no-op when
done) and builds the package's wheel once for all editions, then runs Sphinx
with Jupyter Book's configuration (_config.yml, _toc.yml) on the notebooks'
stored outputs (nothing is executed), one process per edition, side by side.
A translation is built in _build/LANGUAGE/ (myst-nb keeps its files next to
the HTML folder, which would be the English HTML) and moved into place when
done. Every page is read and written again each time (about 15 s an
edition): Sphinx copies static files (the book's CSS and JS) and the wheel
only when it writes a page, so after a change to those alone an incremental
build would keep the old copies.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
HTML = BUILD / "html"
WHEEL = BUILD / "wheel"
NAMES = {"en": "English", "zh_CN": "Chinese"}


def editions() -> dict[str, str]:
    """The editions _config.yml lists: language -> folder inside the HTML
    (the English one's folder is "")."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))
    return config["sphinx"]["config"].get("sincos_editions", {"en": ""})


def sphinx_command(
    builder: str, outdir: Path, config: dict | None = None, strict: bool = True
) -> list[str]:
    """The command that runs Sphinx in a process of its own, configured as
    ``jupyter-book build`` configures it (from _config.yml and _toc.yml)
    with ``config`` on top; its doctrees go beside ``outdir``."""
    job = {"builder": builder, "outdir": str(outdir), "strict": strict}
    job["config"] = config or {}
    return [sys.executable, str(Path(__file__)), "--sphinx", json.dumps(job)]


def run_sphinx(job: dict) -> int:
    """Run one Sphinx build in this process (see sphinx_command); its exit
    status."""
    from jupyter_book.sphinx import build_sphinx

    outdir = Path(job["outdir"])
    config = {
        # What `jupyter-book build` adds for a book, and -n.
        "external_toc_path": (ROOT / "_toc.yml").as_posix(),
        "latex_individualpages": False,
        "nitpicky": True,
        **job["config"],
    }
    result = build_sphinx(
        ROOT,
        outdir,
        noconfig=True,
        path_config=str(ROOT / "_config.yml"),
        confoverrides=config,
        doctreedir=outdir.parent / ".doctrees",
        builder=job["builder"],
        # -W --keep-going -q, and a fresh environment (--all)
        warningiserror=job["strict"],
        keep_going=True,
        freshenv=True,
        quiet=True,
    )
    return result if isinstance(result, int) else 1


def build_wheel() -> Path:
    """The package's wheel, built once into _build/wheel for every
    edition."""
    sys.path.insert(0, str(ROOT / "book" / "_ext"))
    from notebook_downloads import build_wheel as build

    return build(ROOT, WHEEL)


def main() -> int:
    subprocess.run(
        ["bash", str(ROOT / "book" / "fetch_assets.sh")], check=True
    )
    wheel = build_wheel()
    # No page of an earlier build outlives its source.
    shutil.rmtree(HTML, ignore_errors=True)
    started = time.perf_counter()
    running = {}
    for language, folder in editions().items():
        config = {"sincos_wheel_dir": str(wheel.parent)}
        if folder:
            config["language"] = language
            outdir = BUILD / language / "html"
            shutil.rmtree(outdir, ignore_errors=True)
        else:
            outdir = HTML
        command = sphinx_command("html", outdir, config)
        running[language] = (folder, outdir, subprocess.Popen(command))
    seconds = {}
    while len(seconds) < len(running):
        time.sleep(0.1)
        for language, (_, _, process) in running.items():
            if language not in seconds and process.poll() is not None:
                seconds[language] = time.perf_counter() - started
    failed = []
    for language, (folder, outdir, process) in running.items():
        name = NAMES.get(language, language)
        if process.returncode != 0:
            failed.append(name)
            continue
        if folder:
            shutil.rmtree(HTML / folder, ignore_errors=True)
            HTML.mkdir(parents=True, exist_ok=True)
            outdir.rename(HTML / folder)
        print(
            f"book: the {name} edition ({seconds[language]:.0f} s): "
            f"{HTML / folder / 'index.html'}"
        )
    if failed:
        print(
            f"book: the build of the {' and '.join(failed)} edition failed; "
            "see the warnings above",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--sphinx"]:
        sys.exit(run_sphinx(json.loads(sys.argv[2])))
    sys.exit(main())
