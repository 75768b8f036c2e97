"""Start ``codesign workshop`` / ``codesign lab`` as a user does, in an isolated Jupyter home."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    log: Path
    token: str
    env: dict[str, str]

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_for(self, pattern: str, timeout: float = 120) -> re.Match[str]:
        """Until the output matches ``pattern``; fails if the process exits first."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = re.search(pattern, self.output())
            if found:
                return found
            if self.process.poll() is not None:
                pytest.fail(f"the server exited with {self.process.returncode}:\n{self.output()}")
            time.sleep(0.2)
        pytest.fail(f"no {pattern!r} within {timeout} s:\n{self.output()}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
            pytest.fail(f"the server did not stop on signal {sig}:\n{self.output()}")


def jupyter_env(home: Path, token: str | None = None) -> dict[str, str]:
    """An environment whose HOME and every Jupyter folder are inside ``home``."""
    env = {
        **os.environ,
        "HOME": str(home),
        "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
        "JUPYTER_DATA_DIR": str(home / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(home / "jupyter-runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_TOKEN": token or secrets.token_urlsafe(24),
    }
    env.pop("JUPYTER_CONFIG_PATH", None)
    (home / "jupyter-config").mkdir(parents=True, exist_ok=True)
    return env


def start(
    args: list[str], tmp_path: Path, *, env: dict[str, str] | None = None, root_flag: bool = True
) -> Server:
    """Run ``codesign ARGS`` in its own session, output to a log file."""
    env = env or jupyter_env(tmp_path / "home")
    argv = [sys.executable, "-m", "codesign", *args]
    if root_flag and os.geteuid() == 0:  # containers and CI run as root; Jupyter wants to be told
        argv.append("--allow-root")
    log = tmp_path / f"server-{secrets.token_hex(3)}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            argv,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    return Server(process=process, log=log, token=env["JUPYTER_TOKEN"], env=env)


@pytest.fixture
def server_factory(tmp_path: Path):  # type: ignore[no-untyped-def]
    started: list[Server] = []

    def make(args: list[str], **kwargs) -> Server:  # type: ignore[no-untyped-def]
        server = start(args, tmp_path, **kwargs)
        started.append(server)
        return server

    yield make
    for server in started:
        if server.process.poll() is None:
            server.stop()
