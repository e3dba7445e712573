"""A JupyterLab server for the browser tests of the notebooks, started and
stopped with everything it started.

The server runs the venv's ``jupyter lab`` without a browser, token or
password on a free local port, over a temporary copy of ``notebooks/``. Its
configuration, data and runtime folders are temporary too, so no user
setting or kernel spec of this machine leaks in, and the server never asks
the network for news or updates. Stopping shuts the server down through its
API, which shuts its kernels down, then waits for every process that ran from
the temporary folder to end.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JUPYTER = Path(sys.executable).with_name("jupyter")


# User settings: start a notebook's kernel without asking; lay out every
# cell of a notebook, not only those in view; never ask the network for
# news or updates.
SETTINGS = {
    "@jupyterlab/notebook-extension/tracker": {
        "autoStartDefaultKernel": True,
        "windowingMode": "none",
    },
    "@jupyterlab/apputils-extension/notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


@dataclass(frozen=True)
class Lab:
    url: str  # the server's base URL, ending in "/"
    root: Path  # the folder it serves: a copy of notebooks/
    log: Path  # the server's output


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_lab(timeout: float = 60, alone: bool = False) -> Iterator[Lab]:
    """A JupyterLab server over a temporary copy of notebooks/; with
    ``alone``, each notebook in a folder of its own
    (``NN_name/NN_name.ipynb``), as a reader who downloads one has it."""
    with tempfile.TemporaryDirectory(prefix="sincos-lab-") as tmp:
        tmp = Path(tmp)
        root = tmp / "notebooks"
        if alone:
            for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
                (root / notebook.stem).mkdir(parents=True)
                shutil.copy(notebook, root / notebook.stem)
        else:
            shutil.copytree(
                ROOT / "notebooks",
                root,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints"),
            )
        env = _isolated_env(tmp)
        port = free_port()
        log = tmp / "server.log"
        command = [
            str(JUPYTER),
            "lab",
            "--no-browser",
            f"--port={port}",
            "--ip=127.0.0.1",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            "--allow-root",
            f"--ServerApp.root_dir={root}",
            "--ServerApp.port_retries=0",
            "--LabApp.news_url=None",
            "--LabApp.extension_manager=readonly",
            "--LabApp.check_for_updates_class="
            "jupyterlab.handlers.announcements.NeverCheckForUpdate",
        ]
        with open(log, "wb") as out:
            server = subprocess.Popen(
                command,
                cwd=tmp,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        url = f"http://127.0.0.1:{port}/"
        try:
            _wait_until_up(url, server, log, timeout)
            yield Lab(url, root, log)
        finally:
            _stop(server, url, tmp)


def _isolated_env(tmp: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("config", "data", "runtime", "ipython", "settings"):
        (tmp / name).mkdir()
    env.update(
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTER_DATA_DIR=str(tmp / "data"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "settings"),
        IPYTHONDIR=str(tmp / "ipython"),
        JUPYTER_PLATFORM_DIRS="1",
        PATH=f"{JUPYTER.parent}{os.pathsep}{env.get('PATH', '')}",
    )
    for name, values in SETTINGS.items():
        path = tmp / "settings" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return env


def _wait_until_up(
    url: str, server: subprocess.Popen, log: Path, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(
                f"jupyter lab exited with {server.returncode}:\n"
                + log.read_text(errors="replace")
            )
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(url + "api/status", timeout=2) as answer,
        ):
            json.load(answer)
            return
        time.sleep(0.2)
    raise RuntimeError(
        f"jupyter lab did not answer within {timeout} s:\n"
        + log.read_text(errors="replace")
    )


def _stop(server: subprocess.Popen, url: str, tmp: Path) -> None:
    """Shut the server and its kernels down; kill what is left after 20 s."""
    request = urllib.request.Request(url + "api/shutdown", method="POST")
    with contextlib.suppress(OSError, urllib.error.URLError):
        urllib.request.urlopen(request, timeout=5).close()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()
    deadline = time.monotonic() + 20
    while (left := processes_under(tmp)) and time.monotonic() < deadline:
        time.sleep(0.2)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def processes_under(folder: Path) -> list[int]:
    """Processes whose command line names ``folder`` (the kernels name their
    connection file in it)."""
    mark = str(folder).encode()
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and entry.name != str(os.getpid()):
            with contextlib.suppress(OSError):
                if mark in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
    return pids
