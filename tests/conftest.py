"""Shared fixtures: isolation of HOME and tracking stores, system components, test data.

System components (Chromium, PostgreSQL) are real. On a newcomer's machine a test that needs a
missing one is skipped with a message saying how to get it; under ``CI=true`` it fails instead,
so a green CI never hides a component that was not there.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
REPO = Path(__file__).parent.parent

_ISOLATED_ENV = (
    "CODESIGN_TRACKING_URI",
    "CODESIGN_ARTIFACT_ROOT",
    "MLFLOW_TRACKING_URI",
    "MLFLOW_REGISTRY_URI",
    "MLFLOW_EXPERIMENT_NAME",
    "MLFLOW_EXPERIMENT_ID",
    "MLFLOW_RUN_ID",
    "JUPYTER_CONFIG_DIR",
    "JUPYTER_DATA_DIR",
    "JUPYTER_RUNTIME_DIR",
)


FIRST: tuple[str, ...] = ("scaffold/test_wheel.py", "reports/test_kernel_race.py")
"""The longest files, started first: with files spread over workers (``make test`` runs
pytest-xdist ``--dist loadfile``), a long file started last would finish alone."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the files longest first: the named ones, then those with slow or e2e tests."""

    def weight(item: pytest.Item) -> int:
        path = item.path.as_posix()
        named = [index for index, name in enumerate(FIRST) if path.endswith(name)]
        if named:
            return named[0]
        heavy = item.get_closest_marker("slow") or item.get_closest_marker("e2e")
        return len(FIRST) if heavy else len(FIRST) + 1

    items.sort(key=weight)  # stable: each file's tests keep their order


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own HOME and no inherited tracking store or Jupyter config.

    Nothing a test does can reach the developer's ~/.cookiecutterrc, ~/.jupyter or ./mlruns.
    """
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in _ISOLATED_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
    monkeypatch.setenv("DO_NOT_TRACK", "true")
    monkeypatch.setenv("GX_ANALYTICS_ENABLED", "False")
    monkeypatch.setenv("MLFLOW_ALLOW_PICKLE_DESERIALIZATION", "false")
    # English unless a test asks for another language: no developer's locale leaks in.
    for name in ("CODESIGN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    from codesign import i18n

    i18n.set_language(None)
    i18n.set_project_language(None)
    return home


@pytest.fixture
def data_dir() -> Path:
    """The folder of named test data files."""
    return DATA


# --- system components ------------------------------------------------------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require_component(available: bool, what: str, how: str) -> None:
    """Skip (newcomer's machine) or fail (CI) when a system component is missing."""
    if available:
        return
    message = f"{what} is not available; {how}"
    if _in_ci():
        pytest.fail(f"CI=true and {message}")
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's Chromium, which Playwright drives (never a downloaded browser)."""
    path = "/usr/bin/chromium"
    require_component(
        Path(path).exists(),
        "Chromium (/usr/bin/chromium)",
        "install it with `sudo apt-get install chromium`",
    )
    return path


CHROMIUM_ARGS: list[str] = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
"""How the end-to-end tests start Debian's Chromium: headless, and calling nowhere on its own."""


def create_database(postgres_url: str, prefix: str) -> str:
    """A new, empty database on the test server, named ``<prefix>_<random>``; its URL."""
    import secrets

    import psycopg2

    name = f"{prefix}_{secrets.token_hex(4)}"
    connection = psycopg2.connect(postgres_url)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()
    return f"{postgres_url.rsplit('/', 1)[0]}/{name}"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _postgres_bin() -> Path | None:
    """The folder holding initdb and pg_ctl: Debian's newest, else whatever PATH offers."""
    tools = ("initdb", "pg_ctl")
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if all((candidate / tool).exists() for tool in tools):
            return candidate
    found = shutil.which("initdb")
    if found and (Path(found).parent / "pg_ctl").exists():
        return Path(found).parent
    return None


def _as_postgres_user(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the ``postgres`` user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A real, throwaway PostgreSQL server on 127.0.0.1 for this test session.

    ``CODESIGN_TEST_POSTGRES_URL`` points the tests at an existing server instead.
    """
    existing = os.environ.get("CODESIGN_TEST_POSTGRES_URL")
    if existing:
        yield existing
        return
    bin_dir = _postgres_bin()
    require_component(
        bin_dir is not None,
        "PostgreSQL server binaries (initdb, pg_ctl)",
        "install them with `sudo apt-get install postgresql`",
    )
    assert bin_dir is not None
    base = Path(tempfile.mkdtemp(prefix="codesign-pg-"))
    data, sockets = base / "data", base / "run"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    subprocess.run(
        _as_postgres_user(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "codesign",
                "--auth=trust",
                "-E",
                "UTF8",
            ]
        ),
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        _as_postgres_user(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-w",
                "-l",
                str(base / "log"),
                "start",
            ]
        ),
        check=True,
        capture_output=True,
    )
    try:
        _wait_for_port(port)
        subprocess.run(
            [
                str(bin_dir.parent / "bin" / "createdb"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
                "-U",
                "codesign",
                "codesign",
            ],
            check=True,
            capture_output=True,
        )
        yield f"postgresql://codesign@127.0.0.1:{port}/codesign"
    finally:
        subprocess.run(
            _as_postgres_user([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            check=False,
            capture_output=True,
        )
        shutil.rmtree(base, ignore_errors=True)


def _wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    msg = f"nothing listens on 127.0.0.1:{port} after {timeout} s"
    raise TimeoutError(msg)


RunCli = Callable[..., "subprocess.CompletedProcess[str]"]


@pytest.fixture
def run_cli() -> RunCli:
    """Run ``codesign`` in a subprocess, as a user would; returns the CompletedProcess."""

    def run(
        *args: str, cwd: Path | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "codesign", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )

    return run


GRAM: int = 6
"""The piece length of :func:`found_in`'s index (planted values are longer)."""


def found_in(text: str, canaries: Iterable[str]) -> list[str]:
    """The canaries that occur in ``text``, exactly as ``[c for c in canaries if c in text]``.

    That plain loop is one scan of the text per canary: 16,000 planted values over the 7 MB a
    demo writes took 80 s. Here every 6-character piece of the text is indexed once; a canary
    whose first or last piece is not in the index cannot be in the text, and only the others
    are searched for. Nothing is missed: a canary in the text has all its pieces there.
    """
    wanted = list(canaries)
    if not wanted or not text:
        return []
    pieces = {text[i : i + GRAM] for i in range(len(text) - GRAM + 1)}
    return [
        c
        for c in wanted
        if (len(c) < GRAM or (c[:GRAM] in pieces and c[-GRAM:] in pieces)) and c in text
    ]
