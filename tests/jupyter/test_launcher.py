"""Server hardening for ``codesign lab`` and ``codesign workshop`` (issue 17, item 7).

Each start goes through :mod:`codesign.jupyter.launcher`: authentication whatever the user's
Jupyter configuration, a busy port or root refused before any URL is printed, and SIGTERM,
SIGINT or SIGHUP stopping the server together with its kernels.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import psutil
import pytest
from tests.conftest import free_port
from tests.jupyter.conftest import jupyter_env

from codesign.exceptions import ServerError
from codesign.jupyter.launcher import ServerCommand, ServerOptions, preflight, serve
from codesign.jupyter.workshop import WorkshopOptions, lan_address, qr_code, workshop_command
from codesign.project import Project
from codesign.scaffold import ProjectSpec, create_project

SERVERS = ("workshop", "lab")
URL_LINE = {"workshop": r"Facilitator \(every form\): (\S+)", "lab": r"Workshop forms: (\S+)"}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return create_project(ProjectSpec.from_name("Triage", preset="triage"), tmp_path / "work")


def status(url: str, token: str | None) -> int:
    request = urllib.request.Request(url)  # noqa: S310 - 127.0.0.1 only
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as e:
        e.close()
        return int(e.code)


@pytest.mark.e2e
@pytest.mark.parametrize("command", SERVERS)
def test_a_jupyter_config_turning_the_token_off_does_not_turn_it_off(
    command: str, project: Path, server_factory: Any, tmp_path: Path
) -> None:
    env = jupyter_env(tmp_path / "home")
    config = Path(env["JUPYTER_CONFIG_DIR"])
    (config / "jupyter_server_config.py").write_text(
        "c.IdentityProvider.token = ''\nc.ServerApp.token = ''\n", encoding="utf-8"
    )
    (config / "jupyter_server_config.json").write_text(
        json.dumps({"IdentityProvider": {"token": ""}}), encoding="utf-8"
    )
    port = free_port()
    server = server_factory(
        [command, "--project", str(project), "--port", str(port), "--no-browser"], env=env
    )
    server.wait_for(URL_LINE[command])
    base = f"http://127.0.0.1:{port}"
    assert status(f"{base}/api/status", None) == 403
    assert status(f"{base}/api/status", "wrong") == 403
    assert status(f"{base}/api/status", server.token) == 200
    if command == "workshop":  # the room's link reads pages; it starts and writes nothing
        for path, method in (("/api/kernels", "POST"), ("/api/contents/x.ipynb", "PUT")):
            request = urllib.request.Request(f"{base}{path}", data=b"{}", method=method)  # noqa: S310
            request.add_header("Authorization", f"token {server.token}")
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(request, timeout=60)  # noqa: S310
            refused.value.close()
            assert refused.value.code == 403
    assert server.stop() == 0


def test_a_server_answering_without_its_token_is_stopped_and_nothing_printed(
    tmp_path: Path,
) -> None:
    """The check behind the configuration: a server that answers anyone is refused."""
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "status").write_text("{}", encoding="utf-8")
    port = free_port()
    command = ServerCommand(
        argv=(sys.executable, "-c", IMPOSTOR.format(directory=str(tmp_path), port=port)),
        env=dict(os.environ),
        base_url=f"http://127.0.0.1:{port}",
        token="t",
        config="",
    )
    printed: list[str] = []
    with pytest.raises(ServerError, match="answered without its token"):
        serve(command, lambda: printed.append("URL"), ready_timeout=30)
    assert printed == []
    with socket.socket() as sock:  # the impostor was stopped: its port is free again
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))


IMPOSTOR = """
import functools, http.server
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory={directory!r})
http.server.ThreadingHTTPServer(("127.0.0.1", {port}), handler).serve_forever()
"""
"""A server that answers anyone (it ignores the --config it is given)."""


def _descendants(pid: int) -> list[psutil.Process]:
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def _wait_for_kernel(pid: int, timeout: float = 120) -> list[psutil.Process]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kernels = [p for p in _descendants(pid) if "ipykernel" in " ".join(p.cmdline())]
        if kernels:
            return kernels
        time.sleep(0.5)
    pytest.fail("no kernel started")


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("command", "sig"),
    [("workshop", signal.SIGTERM), ("lab", signal.SIGTERM), ("workshop", signal.SIGHUP)],
)
def test_a_signal_stops_the_server_and_its_kernels(
    command: str, sig: int, project: Path, server_factory: Any
) -> None:
    port = free_port()
    server = server_factory(
        [command, "--project", str(project), "--port", str(port), "--no-browser"]
    )
    server.wait_for(URL_LINE[command])
    base = f"http://127.0.0.1:{port}"
    if command == "workshop":  # a page view starts its kernel and runs the page
        assert status(f"{base}/voila/render/participant.ipynb", server.token) == 200
    else:
        request = urllib.request.Request(f"{base}/api/kernels", data=b"{}", method="POST")  # noqa: S310
        request.add_header("Authorization", f"token {server.token}")
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            assert response.status == 201
    processes = [*_descendants(server.process.pid)]
    kernels = _wait_for_kernel(server.process.pid)
    assert server.stop(sig) == 0
    _gone, alive = psutil.wait_procs([*processes, *kernels], timeout=60)
    # a zombie has stopped: only its exit status is left, for a parent that may be gone
    running = [p for p in alive if _status(p) not in (psutil.STATUS_ZOMBIE, None)]
    assert running == [], [(p.pid, _status(p)) for p in running]


@pytest.mark.parametrize("command", SERVERS)
def test_a_busy_port_exits_2_before_printing_any_url(
    command: str, project: Path, server_factory: Any
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        server = server_factory(
            [command, "--project", str(project), "--port", str(port), "--no-browser"]
        )
        assert server.process.wait(timeout=60) == 2
    output = server.output()
    assert f"port {port} on 127.0.0.1 is already in use" in output
    assert "http://" not in output
    assert "token=" not in output


@pytest.mark.parametrize("command", SERVERS)
def test_root_without_allow_root_exits_2_before_printing_any_url(
    command: str, project: Path, server_factory: Any
) -> None:
    if os.geteuid() != 0:  # the same check, through the library, as a non-root user
        with pytest.raises(ServerError, match="refusing to run as root"):
            preflight(ServerOptions(), euid=0)
        return
    server = server_factory([command, "--project", str(project), "--no-browser"], root_flag=False)
    assert server.process.wait(timeout=60) == 2
    output = server.output()
    assert "refusing to run as root" in output
    assert "--allow-root" in output
    assert "http://" not in output
    assert "Traceback" not in output


def test_lan_takes_one_address_never_a_wildcard_and_warns_without_tls(project: Path) -> None:
    for wildcard in ("0.0.0.0", "::"):  # noqa: S104 - what is refused
        with pytest.raises(ServerError, match="refusing to listen on every interface"):
            lan_address(wildcard)
    with pytest.raises(ServerError, match="expected this machine's IP address"):
        lan_address("meeting-room")
    workshop = workshop_command(
        Project.at(project), WorkshopOptions(lan="127.0.0.1", allow_root=True), {}
    )
    assert "--ServerApp.ip=127.0.0.1" in workshop.server.argv
    assert "no TLS" in workshop.warnings[0]
    assert workshop.urls["participant"].startswith("http://127.0.0.1:")
    art = qr_code(workshop.urls["participant"])
    assert len(art.splitlines()) > 20  # a scannable code, drawn in text


def test_a_certificate_needs_its_key(project: Path, tmp_path: Path) -> None:
    cert = tmp_path / "cert.pem"
    cert.write_text("x", encoding="utf-8")
    with pytest.raises(ServerError, match="--certfile and --keyfile go together"):
        workshop_command(Project.at(project), WorkshopOptions(certfile=cert, allow_root=True), {})
    with pytest.raises(ServerError, match="not a file"):
        workshop_command(
            Project.at(project),
            WorkshopOptions(certfile=cert, keyfile=tmp_path / "missing.pem", allow_root=True),
            {},
        )


def test_the_token_never_shows_on_the_command_line(project: Path) -> None:
    workshop = workshop_command(
        Project.at(project), WorkshopOptions(open_browser=False, allow_root=True), {}
    )
    token = workshop.server.env["JUPYTER_TOKEN"]
    assert len(token) >= 32
    assert token not in " ".join(workshop.server.argv)
    assert workshop.server.env["CODESIGN_PROJECT"] == str(project.resolve())
    assert "c.IdentityProvider.token = os.environ" in workshop.server.config


def _status(process: psutil.Process) -> str | None:
    try:
        return str(process.status())
    except psutil.NoSuchProcess:
        return None


def test_the_room_speaks_the_charter_s_language_unless_told(tmp_path: Path) -> None:
    """Every page and kernel of a room speak one language: the pages' ``lang`` and the kernels'
    ``CODESIGN_LANG`` come from the command's choice, else the environment, else the charter."""
    french = create_project(ProjectSpec.from_name("Tri", preset="triage", language="fr"), tmp_path)
    cases = (
        (WorkshopOptions(allow_root=True), {}, "fr"),
        (WorkshopOptions(allow_root=True), {"CODESIGN_LANG": "en"}, "en"),
        (WorkshopOptions(allow_root=True, language="en"), {"CODESIGN_LANG": "fr"}, "en"),
    )
    for options, environ, language in cases:
        workshop = workshop_command(Project.at(french), options, environ)
        assert workshop.server.env["CODESIGN_LANG"] == language, (options, environ)
        assert f"c.VoilaExporter.language_code = '{language}'" in workshop.server.config
