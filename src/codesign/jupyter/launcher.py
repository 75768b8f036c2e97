"""One hardened way to start a Jupyter server (``codesign lab``, ``codesign workshop``).

A server that hospital staff open must never run without authentication, and the URL printed
must be one that works. :func:`serve` therefore:

* refuses, before starting anything, to run as root without ``allow_root``, on a port already
  taken, or with a certificate but no key (:class:`~codesign.exceptions.ServerError`);
* loads our own configuration file *after* the user's (``--config``, which Jupyter reads last),
  so a ``c.IdentityProvider.token = ''`` left in ``~/.jupyter`` cannot turn the token off, and
  then checks it from the outside: a request without the token must be refused, or the server
  is stopped and nothing is printed;
* prints the URLs only once the server answers with the token;
* forwards SIGTERM, SIGINT and SIGHUP to the server as SIGTERM (Jupyter then shuts its kernels
  down) and waits for it, killing it only if it hangs.

The token travels in the environment (``JUPYTER_TOKEN``), never on the command line, where
``ps`` would show it to every user of a shared server.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import secrets
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final

from codesign.exceptions import ServerError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence
    from types import FrameType

logger = logging.getLogger(__name__)

ENV_TOKEN: Final = "JUPYTER_TOKEN"  # noqa: S105 - the name of the variable, not a token
LOOPBACK: Final = "127.0.0.1"
FORWARDED_SIGNALS: Final = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
ANNOUNCEMENTS_PLUGIN: Final = "@jupyterlab/apputils-extension:announcements"
"""JupyterLab's "Would you like to get notified about official Jupyter news?" toast."""

_HARDENED_CONFIG: Final = """\
# Written by codesign; read after every other Jupyter configuration file.
import os

c = get_config()  # noqa: F821
c.IdentityProvider.token = os.environ["JUPYTER_TOKEN"]
c.ServerApp.allow_unauthenticated_access = False
c.ServerApp.disable_check_xsrf = False
c.ServerApp.allow_remote_access = {remote}
c.ServerApp.open_browser = {open_browser}
c.ServerApp.port_retries = 0
{more}"""


@dataclass(frozen=True)
class ServerOptions:
    """Where and how a server listens; the defaults suit one laptop."""

    host: str = LOOPBACK
    """The one interface to bind; never a wildcard unless a caller says so explicitly."""
    port: int = 0
    """TCP port; 0 picks a free one."""
    open_browser: bool = True
    token: str | None = None
    """The access token; ``None`` takes ``JUPYTER_TOKEN`` or makes a random one."""
    allow_root: bool = False
    """Jupyter refuses to run as root unless told (containers, CI)."""
    certfile: Path | None = None
    keyfile: Path | None = None

    @property
    def tls(self) -> bool:
        return self.certfile is not None


@dataclass(frozen=True)
class ServerCommand:
    """A server ready to start: its command, environment, address and private folder."""

    argv: tuple[str, ...]
    env: Mapping[str, str]
    base_url: str
    """``scheme://host:port`` as a browser reaches it."""
    token: str
    config: str
    """Our configuration file's text, read after the user's (written by :func:`serve`)."""
    probe_host: str = LOOPBACK
    tls: bool = False
    links: dict[str, str] = field(default_factory=dict)
    """What to print once serving: a label and a URL each (token included)."""

    def url(self, path: str) -> str:
        """The address of ``path`` on this server, with the token."""
        return f"{self.base_url}{path}?token={self.token}"


def preflight(options: ServerOptions, *, euid: int | None = None) -> int:
    """Check what would make the server fail or unsafe; returns the port to use.

    Raises :class:`ServerError` (nothing started, nothing printed): running as root without
    ``allow_root``; a certificate without a key or the reverse, or either not a readable file; the
    port already taken on that interface.
    """
    uid = os.geteuid() if euid is None else euid
    if uid == 0 and not options.allow_root:
        msg = (
            "refusing to run as root: a workshop server started by root can read and change "
            "every file on this machine. Run it as your own user, or pass --allow-root inside a "
            "container"
        )
        raise ServerError(msg)
    if (options.certfile is None) != (options.keyfile is None):
        msg = "--certfile and --keyfile go together: give both (TLS) or neither"
        raise ServerError(msg)
    for label, path in (("--certfile", options.certfile), ("--keyfile", options.keyfile)):
        if path is not None and not path.is_file():
            msg = f"{label} {path}: not a file (expected a PEM file)"
            raise ServerError(msg)
    if options.port:
        ensure_port_free(options.host, options.port)
        return options.port
    return free_port(options.host)


def ensure_port_free(host: str, port: int) -> None:
    """Raise :class:`ServerError` when ``host:port`` cannot be bound right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        # As Tornado binds: SO_REUSEADDR, so a port in TIME_WAIT is not reported as taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                msg = (
                    f"port {port} on {host} is already in use (another server?); choose another "
                    "with --port, or leave it out to take a free one"
                )
            else:
                msg = f"cannot listen on {host}:{port}: {e.strerror or e}"
            raise ServerError(msg) from e


def free_port(host: str = LOOPBACK) -> int:
    """A TCP port free on ``host`` right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        try:
            sock.bind((host, 0))
        except OSError as e:
            msg = f"cannot listen on {host}: {e.strerror or e} (is it an address of this machine?)"
            raise ServerError(msg) from e
        port: int = sock.getsockname()[1]
        return port


def server_command(
    module_argv: Sequence[str],
    options: ServerOptions,
    *,
    environ: Mapping[str, str] | None = None,
    extra_env: Mapping[str, str] | None = None,
    config_lines: Sequence[str] = (),
    euid: int | None = None,
) -> ServerCommand:
    """The hardened command running ``python -m <module_argv>`` (after :func:`preflight`).

    ``module_argv`` is the Jupyter application and its own options (``jupyterlab``,
    ``--LabApp.default_url=...``); the options every server shares are added here.
    ``config_lines`` are more lines of configuration (``c.X.y = ...\n``), read after the user's.
    """
    port = preflight(options, euid=euid)
    base_env = dict(os.environ if environ is None else environ)
    token = options.token or base_env.get(ENV_TOKEN) or secrets.token_urlsafe(24)
    remote = options.host != LOOPBACK
    config = _HARDENED_CONFIG.format(
        remote=remote, open_browser=options.open_browser, more="".join(config_lines)
    )
    argv = [
        sys.executable,
        "-m",
        *module_argv,
        f"--ServerApp.ip={options.host}",
        f"--ServerApp.port={port}",
    ]
    if not options.open_browser:
        argv.append("--no-browser")
    if options.allow_root:
        argv.append("--allow-root")
    if options.certfile is not None and options.keyfile is not None:
        argv += [
            f"--ServerApp.certfile={options.certfile.resolve()}",
            f"--ServerApp.keyfile={options.keyfile.resolve()}",
        ]
    env = {**base_env, **(extra_env or {}), ENV_TOKEN: token}
    scheme = "https" if options.tls else "http"
    shown_host = f"[{options.host}]" if ":" in options.host else options.host
    return ServerCommand(
        argv=tuple(argv),
        env=env,
        base_url=f"{scheme}://{shown_host}:{port}",
        token=token,
        config=config,
        probe_host=shown_host,
        tls=options.tls,
    )


# --- running -----------------------------------------------------------------------------------


def serve(
    command: ServerCommand,
    on_ready: Callable[[], None],
    *,
    ready_timeout: float = 120.0,
    stop_timeout: float = 20.0,
) -> int:
    """Run the server until it stops or a signal comes; returns the exit code.

    ``on_ready`` is called once the server answers with the token and refuses without it
    (print the URLs there). Raises :class:`ServerError` when the server turns out to accept
    requests without the token (it is stopped first).
    """
    stopping: list[int] = []
    config_dir = Path(tempfile.mkdtemp(prefix="codesign-server-"))  # mode 0700
    try:
        argv, env = _with_config(command, config_dir)
        process = subprocess.Popen(argv, env=env, start_new_session=True)
    except BaseException:
        _remove_tree(config_dir)
        raise

    def forward(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)

    try:
        with _signals_forwarded(forward):
            if not _wait_ready(command, process, ready_timeout, stopping):
                code = _stop(process, stop_timeout)
                return 0 if stopping else (code or 2)
            if not _auth_enforced(command):
                _stop(process, stop_timeout)
                msg = (
                    "refusing to serve: this server answered without its token, so a Jupyter "
                    "configuration turns authentication off (look for "
                    "c.IdentityProvider.token = '' or c.ServerApp.token = '' in the files "
                    "`jupyter --paths` lists under config). It was stopped"
                )
                raise ServerError(msg)
            on_ready()
            while process.poll() is None and not stopping:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=0.5)
            code = _stop(process, stop_timeout)  # after a signal: bounded, then killed
            return 0 if stopping else code
    finally:
        if process.poll() is None:
            _stop(process, stop_timeout)
        _remove_tree(config_dir)


def _with_config(command: ServerCommand, config_dir: Path) -> tuple[list[str], dict[str, str]]:
    """The command's argv and environment reading our configuration from ``config_dir``.

    ``--config`` is read after every other configuration file, so ours wins over the user's;
    the folder is also added to ``JUPYTER_CONFIG_PATH`` (searched after the user's own folder)
    for JupyterLab's page configuration, which only adds to theirs.
    """
    config_file = config_dir / "codesign_server_config.py"
    # Kernels talk to the server over Unix sockets in this private folder, not TCP ports:
    # jupyter_client picks free ports and binds them later, a race other kernels starting on
    # the machine lose ("Address already in use"); sockets also keep the traffic off the
    # network, which answers ipykernel's "running over TCP without encryption" warning.
    kernels = (
        f'c.KernelManager.transport = "ipc"\nc.KernelManager.ip = {str(config_dir / "k")!r}\n'
        if os.name == "posix"
        else ""
    )
    config_file.write_text(command.config + kernels, encoding="utf-8")
    labconfig = config_dir / "labconfig"
    labconfig.mkdir()
    (labconfig / "page_config.json").write_text(
        f'{{"disabledExtensions": {{"{ANNOUNCEMENTS_PLUGIN}": true}}}}\n', encoding="utf-8"
    )
    env = dict(command.env)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
        filter(None, [str(config_dir), env.get("JUPYTER_CONFIG_PATH")])
    )
    return [*command.argv, f"--config={config_file}"], env


@contextlib.contextmanager
def _signals_forwarded(handler: Callable[[int, FrameType | None], None]) -> Iterator[None]:
    previous = {signum: signal.signal(signum, handler) for signum in FORWARDED_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def _stop(process: subprocess.Popen[bytes], timeout: float) -> int:
    """SIGTERM (Jupyter shuts its kernels down), then wait; SIGKILL only if it hangs."""
    if process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            logger.warning("the server did not stop within %g s; killing it", timeout)
            process.kill()
            process.wait()
    return process.returncode


def _wait_ready(
    command: ServerCommand,
    process: subprocess.Popen[bytes],
    timeout: float,
    stopping: Sequence[int],
) -> bool:
    """Until the server answers ``/api/status`` with the token; ``False`` if it died or stopped."""
    deadline = time.monotonic() + timeout
    delay = 0.05
    while time.monotonic() < deadline:
        if process.poll() is not None or stopping:
            return False
        if probe_status(command, with_token=True) == 200:
            return True
        time.sleep(delay)
        delay = min(delay * 1.5, 0.5)
    logger.error("the server did not answer within %g s", timeout)
    return False


def _auth_enforced(command: ServerCommand) -> bool:
    return probe_status(command, with_token=False) in (401, 403)


def probe_status(command: ServerCommand, *, with_token: bool) -> int | None:
    """The HTTP status of the server's ``/api/status``, with or without the token (``None``:
    no answer yet)."""
    scheme = "https" if command.tls else "http"
    url = f"{scheme}://{command.probe_host}:{command.base_url.rsplit(':', 1)[1]}/api/status"
    request = urllib.request.Request(url)  # noqa: S310 - our own server's address
    if with_token:
        request.add_header("Authorization", f"token {command.token}")
    context = None
    if command.tls:  # our own server, reached by address: its certificate names a host
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    try:
        with urllib.request.urlopen(request, timeout=2, context=context) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as e:
        e.close()
        return int(e.code)
    except (OSError, ValueError):
        return None


def _remove_tree(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):
        with contextlib.suppress(OSError):
            path.rmdir() if path.is_dir() else path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()
