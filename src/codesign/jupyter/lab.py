"""JupyterLab on a project, for a workshop: loopback only, a token, the workshop notebook open.

``codesign lab`` (and ``make lab``) start JupyterLab on a project folder through the hardened
launcher of :mod:`codesign.jupyter.launcher` (token always on whatever the user's Jupyter
configuration, port and user checked before any URL is printed, signals forwarded), with:

* the project's ``notebooks/00_workshop.ipynb`` as the page the browser opens;
* nothing fetched from the internet: no news feed or news toast, no update check, and the
  extension manager read-only (hospital networks, and no telemetry);
* JupyterLab's own interface in the project's language (the JupyterLab language pack, set as
  the default of JupyterLab's language setting, so a person's own choice still wins).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import quote

from codesign.jupyter.launcher import ServerOptions, serve, server_command

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from codesign.jupyter.launcher import ServerCommand
    from codesign.project import Project

WORKSHOP_NOTEBOOK: Final = "notebooks/00_workshop.ipynb"
LAB_LOCALES: Final = {"fr": "fr_FR"}
"""JupyterLab's locale for each language of codesign but English (its own language pack)."""
TRANSLATION_PLUGIN: Final = "@jupyterlab/translation-extension:plugin"


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
    language: str = "en"
    """The language of JupyterLab's interface (``fr``: the French language pack)."""


@dataclass(frozen=True)
class LabCommand:
    """The server that runs JupyterLab, and the URL to open."""

    server: ServerCommand
    url: str
    """Where to point a browser: the workshop notebook, with the token."""
    settings: Path | None = field(default=None)
    """The app settings folder made for the server's language, removed when it stops."""

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
    arguments = [
        "jupyterlab",
        f"--ServerApp.root_dir={project.root}",
        f"--LabApp.default_url={landing}",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
    ]
    settings = None
    if options.language in LAB_LOCALES:
        settings = lab_settings(options.language, environ)
        arguments.append(f"--LabApp.app_settings_dir={settings}")
    server = server_command(
        arguments,
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
    return LabCommand(server=server, url=server.url(quote(landing)), settings=settings)


def lab_settings(language: str, environ: Mapping[str, str] | None = None) -> Path:
    """A JupyterLab app settings folder whose default interface language is ``language``.

    The environment's own app settings (``<JUPYTERLAB_DIR or sys.prefix/share/jupyter/lab>/
    settings``: its ``page_config.json``, its ``overrides.json``) are copied into a new folder,
    and the language is added to its overrides, which are defaults: a person who chose another
    language in JupyterLab's menu keeps it. The caller removes the folder (:func:`run_lab` does).
    """
    env = os.environ if environ is None else environ
    lab_dir = Path(env.get("JUPYTERLAB_DIR") or Path(sys.prefix) / "share" / "jupyter" / "lab")
    folder = Path(tempfile.mkdtemp(prefix="codesign-lab-settings-"))
    source = lab_dir / "settings"
    if source.is_dir():
        shutil.copytree(source, folder, dirs_exist_ok=True, symlinks=False)
    overrides_path = folder / "overrides.json"
    overrides: dict[str, dict[str, object]] = {}
    if overrides_path.is_file():
        try:
            overrides = json.loads(overrides_path.read_text(encoding="utf-8"))
        except (ValueError, OSError):  # JupyterLab would ignore it too; ours replaces it
            overrides = {}
    overrides.setdefault(TRANSLATION_PLUGIN, {})["locale"] = LAB_LOCALES[language]
    overrides_path.write_text(json.dumps(overrides, indent=2), encoding="utf-8")
    return folder


def run_lab(command: LabCommand, on_ready: Callable[[], None] = lambda: None) -> int:
    """Run JupyterLab until it stops or is signalled; ``on_ready`` runs once it answers."""
    try:
        return serve(command.server, on_ready)
    finally:
        if command.settings is not None:
            shutil.rmtree(command.settings, ignore_errors=True)
