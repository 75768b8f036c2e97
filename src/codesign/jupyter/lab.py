"""JupyterLab on a project, for a workshop: loopback only, a token, the workshop notebook open.

``codesign lab`` (and ``make lab``) start JupyterLab on a project folder with:

* the server bound to 127.0.0.1, remote access refused, and a fresh random token (or the
  operator's ``JUPYTER_TOKEN``), passed through the environment so it never shows in ``ps``;
* the project's ``notebooks/00_workshop.ipynb`` as the page the browser opens;
* nothing fetched from the internet: no news feed, no update check, and the extension manager
  read-only (hospital networks, and no telemetry).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

if TYPE_CHECKING:
    from collections.abc import Mapping

    from codesign.project import Project

logger = logging.getLogger(__name__)

WORKSHOP_NOTEBOOK: Final = "notebooks/00_workshop.ipynb"
ENV_TOKEN: Final = "JUPYTER_TOKEN"  # noqa: S105 - the name of the variable, not a token


@dataclass(frozen=True)
class LabOptions:
    """How to start JupyterLab; the defaults suit a workshop on one laptop."""

    port: int = 0
    """TCP port on 127.0.0.1; 0 picks a free one."""
    open_browser: bool = True
    token: str | None = None
    """The access token; ``None`` takes ``JUPYTER_TOKEN`` or makes a random one."""
    allow_root: bool = False
    """Jupyter refuses to run as root unless told (containers, CI)."""


@dataclass(frozen=True)
class LabCommand:
    """The command that starts JupyterLab, its environment, and the URL to open."""

    argv: tuple[str, ...]
    env: Mapping[str, str]
    url: str
    """Where to point a browser: the workshop notebook, with the token."""


def lab_command(
    project: Project, options: LabOptions, environ: Mapping[str, str] | None = None
) -> LabCommand:
    """The JupyterLab command for ``project`` (nothing is started)."""
    base_env = dict(os.environ if environ is None else environ)
    token = options.token or base_env.get(ENV_TOKEN) or secrets.token_urlsafe(24)
    port = options.port or free_port()
    landing = (
        f"/lab/tree/{WORKSHOP_NOTEBOOK}" if (project.root / WORKSHOP_NOTEBOOK).is_file() else "/lab"
    )
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",  # the URL printed must be the one served
        f"--ServerApp.root_dir={project.root}",
        f"--LabApp.default_url={landing}",
        "--ServerApp.allow_remote_access=False",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    if not options.open_browser:
        argv.append("--no-browser")
    if options.allow_root:
        argv.append("--allow-root")
    env = {**base_env, ENV_TOKEN: token}
    url = f"http://127.0.0.1:{port}{quote(landing)}?token={token}"
    return LabCommand(argv=tuple(argv), env=env, url=url)


def run_lab(command: LabCommand, *, stop_timeout: float = 20.0) -> int:
    """Run JupyterLab until it stops; Ctrl-C shuts it down cleanly. Returns its exit code.

    JupyterLab's own answer to Ctrl-C is a question on its terminal; here Ctrl-C means stop, so
    the server gets SIGTERM (it shuts its kernels down), and is killed only if it hangs.
    """
    process = subprocess.Popen(list(command.argv), env=dict(command.env))
    try:
        return process.wait()
    except KeyboardInterrupt:
        logger.info("stopping JupyterLab")
        process.terminate()
        try:
            process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        return 0


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
