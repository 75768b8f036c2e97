"""JupyterLab on a project, for a workshop: loopback only, a token, the workshop notebook open.

``codesign lab`` (and ``make lab``) start JupyterLab on a project folder through the hardened
launcher of :mod:`codesign.jupyter.launcher` (token always on whatever the user's Jupyter
configuration, port and user checked before any URL is printed, signals forwarded), with:

* the project's ``notebooks/00_workshop.ipynb`` as the page the browser opens;
* nothing fetched from the internet: no news feed or news toast, no update check, and the
  extension manager read-only (hospital networks, and no telemetry).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from codesign.jupyter.launcher import ServerOptions, serve, server_command

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from codesign.jupyter.launcher import ServerCommand
    from codesign.project import Project

WORKSHOP_NOTEBOOK: Final = "notebooks/00_workshop.ipynb"


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
    """The server that runs JupyterLab, and the URL to open."""

    server: ServerCommand
    url: str
    """Where to point a browser: the workshop notebook, with the token."""

    @property
    def argv(self) -> tuple[str, ...]:
        return self.server.argv

    @property
    def env(self) -> Mapping[str, str]:
        return self.server.env


def lab_command(
    project: Project,
    options: LabOptions,
    environ: Mapping[str, str] | None = None,
    *,
    euid: int | None = None,
) -> LabCommand:
    """The JupyterLab command for ``project``, after the launcher's checks (nothing started).

    Raises :class:`~codesign.exceptions.ServerError` when the port is taken or when running as
    root without ``allow_root``.
    """
    landing = (
        f"/lab/tree/{WORKSHOP_NOTEBOOK}" if (project.root / WORKSHOP_NOTEBOOK).is_file() else "/lab"
    )
    server = server_command(
        [
            "jupyterlab",
            f"--ServerApp.root_dir={project.root}",
            f"--LabApp.default_url={landing}",
            "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ],
        ServerOptions(
            port=options.port,
            open_browser=options.open_browser,
            token=options.token,
            allow_root=options.allow_root,
        ),
        environ=environ,
        config_lines=["c.LabApp.news_url = None\n"],
        euid=euid,
    )
    return LabCommand(server=server, url=server.url(quote(landing)))


def run_lab(command: LabCommand, on_ready: Callable[[], None] = lambda: None) -> int:
    """Run JupyterLab until it stops or is signalled; ``on_ready`` runs once it answers."""
    return serve(command.server, on_ready)
