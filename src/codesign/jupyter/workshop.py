"""The workshop as a web app with no code: Voilà pages served on a hardened Jupyter server.

``codesign workshop`` serves two pages of forms, rendered by Voilà from the notebooks in
:mod:`codesign.jupyter.pages` (shipped with codesign, so every project gets the same, current
pages):

* the **facilitator** page: every charter form, the room's outcome ratings live, acceptance;
* the **participant** page: what one person in the room does from their laptop or phone (pick
  who they are, rate outcomes, answer the questionnaires, sign off).

Voilà runs each page view in a fresh kernel that executes the page's notebook before the page
is shown, so the forms are ready the moment a page opens, and strips every cell's source. Only
Voilà is loaded on the server (no JupyterLab, no terminals, no language server): nothing but the
pages is served. Kernels learn the project from ``CODESIGN_PROJECT`` in their environment, and
share state only through the project's files.
"""

from __future__ import annotations

import io
import ipaddress
import logging
import secrets
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.config import ENV_FACILITATOR_KEY, ENV_PROJECT
from codesign.exceptions import ServerError
from codesign.i18n import ENV_LANG, _, resolve_language
from codesign.jupyter.launcher import (
    LOOPBACK,
    ServerOptions,
    serve,
    server_command,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from codesign.i18n import Language
    from codesign.jupyter.launcher import (
        ServerCommand,
    )
    from codesign.project import Project

logger = logging.getLogger(__name__)

PAGES: Final = {"facilitator": "facilitator.ipynb", "participant": "participant.ipynb"}
_EXTENSIONS_OFF: Final = (
    "jupyterlab",
    "jupyter_lsp",
    "jupyter_server_terminals",
    "nbdime",
    "notebook_shim",
)
"""Server extensions installed with codesign that a workshop must not load (IDE, terminals)."""
KERNEL_MESSAGES: Final = (
    "comm_open",
    "comm_close",
    "comm_msg",
    "comm_info_request",
    "kernel_info_request",
    "shutdown_request",
)
"""What a page may send its kernel: its widgets' messages, never code to run. Jupyter's server
lets every message through a kernel's websocket, so whoever holds the room's link could send an
``execute_request`` to the kernel behind their page; Voilà run on its own keeps to this list."""


@dataclass(frozen=True)
class WorkshopOptions:
    """How to serve a workshop; the defaults suit a facilitator alone on a laptop."""

    port: int = 0
    open_browser: bool = True
    lan: str | None = None
    """Serve on this one address of the machine for a meeting room (never a wildcard)."""
    certfile: Path | None = None
    keyfile: Path | None = None
    allow_root: bool = False
    token: str | None = None
    language: Language | None = None
    """The room's language: the pages' ``lang`` and their kernels' ``CODESIGN_LANG``, so every
    page speaks the one the facilitator's command resolved (``--lang``, the charter...); ``None``:
    resolved here from the environment, the project's charter and the locale."""


@dataclass(frozen=True)
class Workshop:
    """A workshop server ready to start, and what to tell the facilitator once it serves."""

    server: ServerCommand
    project: Project
    urls: dict[str, str] = field(default_factory=dict)
    """The facilitator's and participants' page URLs (token included; the facilitator's with
    its key too: the room's token alone opens the participant page only)."""
    lan: bool = False
    open_browser: bool = False
    """Open the facilitator's page in a browser once the server answers."""

    @property
    def warnings(self) -> list[str]:
        """What the facilitator must know before sharing the link."""
        if self.lan and not self.server.tls:
            return [
                "Warning: no TLS. On this network the forms, the answers and the link's token "
                "travel unencrypted: anyone on the same Wi-Fi can read them. Use --certfile and "
                "--keyfile (a certificate from your IT department) outside a trusted room."
            ]
        return []


def pages_folder() -> Path:
    """The folder of the page notebooks shipped with codesign."""
    folder = Path(str(resources.files("codesign.jupyter") / "pages"))
    if not folder.is_dir():  # pragma: no cover - a broken installation
        msg = f"{folder}: the workshop pages are missing from this codesign installation"
        raise ServerError(msg)
    return folder


def lan_address(text: str) -> str:
    """Check an address given with ``--lan``: one IP address of this machine, not a wildcard."""
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError as e:
        msg = (
            f"--lan {text}: expected this machine's IP address on the room's network, such as "
            "192.168.1.20 (`ip addr` or `ifconfig` lists them)"
        )
        raise ServerError(msg) from e
    if address.is_unspecified:
        msg = (
            f"--lan {text}: refusing to listen on every interface; give the one address of "
            "this machine on the room's network"
        )
        raise ServerError(msg)
    return str(address)


def workshop_command(
    project: Project,
    options: WorkshopOptions,
    environ: Mapping[str, str] | None = None,
    *,
    euid: int | None = None,
) -> Workshop:
    """The workshop server for ``project`` (checked, not started; see :func:`run_workshop`)."""
    host = lan_address(options.lan) if options.lan else LOOPBACK
    extensions = dict.fromkeys(_EXTENSIONS_OFF, False) | {"voila.server_extension": True}
    landing = f"/voila/render/{PAGES['participant']}"  # where the room's bare link leads
    key = secrets.token_urlsafe(18)
    language = options.language or room_language(project, environ)
    server = server_command(
        [
            "jupyter_server",
            f"--ServerApp.root_dir={pages_folder()}",
            f"--ServerApp.default_url={landing}",
        ],
        ServerOptions(
            host=host,
            port=options.port,
            open_browser=False,  # Jupyter would open the landing page: no key in it
            token=options.token,
            allow_root=options.allow_root,
            certfile=options.certfile,
            keyfile=options.keyfile,
        ),
        environ=environ,
        extra_env={
            ENV_PROJECT: str(project.root),
            ENV_FACILITATOR_KEY: key,
            ENV_LANG: language,
        },
        config_lines=[
            f"c.ServerApp.jpserver_extensions = {extensions!r}\n",
            "c.ServerApp.terminals_enabled = False\n",
            f"c.MappingKernelManager.allowed_message_types = {list(KERNEL_MESSAGES)!r}\n",
            'c.ServerApp.authorizer_class = "codesign.jupyter.authorizer.WorkshopAuthorizer"\n',
            "c.VoilaConfiguration.show_tracebacks = False\n",
            "c.VoilaConfiguration.strip_sources = True\n",
            "c.VoilaConfiguration.theme = 'light'\n",
            f"c.VoilaExporter.language_code = {language!r}\n",
            "c.VoilaConfiguration.file_allowlist = []\n",
        ],
        euid=euid,
    )
    urls = {name: server.url(f"/voila/render/{page}") for name, page in PAGES.items()}
    urls["facilitator"] += f"&key={key}"
    return Workshop(
        server=server,
        project=project,
        urls=urls,
        lan=options.lan is not None,
        open_browser=options.open_browser,
    )


def room_language(project: Project, environ: Mapping[str, str] | None = None) -> Language:
    """The language of a project's workshop when none was chosen: ``CODESIGN_LANG``, the
    charter's ``language:`` (a charter that cannot be read has none), the locale, English;
    ``environ`` is the server's environment (this process's by default)."""
    return resolve_language(None, project.written_language(), environ=environ)


def qr_code(url: str) -> str:
    """``url`` as a QR code drawn in text, for the projector (phones scan it to join)."""
    import qrcode

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(url)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue()


def announcement(workshop: Workshop) -> str:
    """What ``codesign workshop`` prints once the server answers."""
    where = _("on this network") if workshop.lan else _("127.0.0.1 only")
    lines = [
        _(
            "Workshop of {project} ({where}). Stop it with Ctrl-C.",
            project=workshop.project.root,
            where=where,
        ),
        _("Facilitator (every form): {url}", url=workshop.urls["facilitator"]),
        _("Participants (one each, laptop or phone): {url}", url=workshop.urls["participant"]),
    ]
    if workshop.lan:
        lines += [
            _("Participants can scan this code to join:"),
            qr_code(workshop.urls["participant"]),
        ]
    lines += workshop.warnings
    return "\n".join(lines)


def run_workshop(workshop: Workshop, on_ready: Callable[[], None]) -> int:
    """Serve the workshop until it is stopped; ``on_ready`` runs once the pages answer, then
    the facilitator's page opens in a browser if asked."""

    def ready() -> None:
        on_ready()
        if workshop.open_browser:
            import webbrowser

            webbrowser.open(workshop.urls["facilitator"])

    return serve(workshop.server, ready)
