"""``codesign report run`` shows each report's line as it ends, and a bar only on a terminal.

Two small reports run one after the other, the second waiting until a file appears: the first
report's line must be readable while the command is still running. On a pseudo-terminal a
progress bar is drawn (no colour with ``NO_COLOR``); through a pipe, or with ``-q``, nothing but
the lines.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import small_projects

pytestmark = pytest.mark.slow

WAIT_FOR_GO = (
    "import pathlib, time\n"
    "go = pathlib.Path(project_dir).resolve().parent / 'go'\n"
    "while not go.exists():\n"
    "    time.sleep(0.1)\n"
)
ANSI_COLOUR = "\x1b[3"
"""The start of a foreground colour escape (``ESC[31m``...)."""


def command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "codesign", "report", "run", *map(str, args)]


def test_each_line_is_printed_as_its_report_ends(scaffolded: Path, tmp_path: Path) -> None:
    root = small_projects(scaffolded, tmp_path / "share", 2, p01=WAIT_FOR_GO)
    with subprocess.Popen(
        command(root, "-v"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            first = process.stdout.readline()
            assert first.startswith(f"OK       {root / 'p00'}: wrote reports/"), first
            assert process.poll() is None  # the second report is still waiting
            (root / "go").touch()
            rest = process.stdout.read()
        finally:
            (root / "go").touch()
            process.wait(timeout=300)
    assert process.returncode == 0, process.stderr.read() if process.stderr else ""
    lines = rest.splitlines()
    assert lines[0].startswith(f"OK       {root / 'p01'}: wrote reports/")
    assert lines[1:] == ["2 project(s): 2 ok"]  # each report's line once, then the counts
    assert "\x1b" not in first + rest  # no terminal: no bar, no control character


def read_terminal(fd: int, process: subprocess.Popen[bytes]) -> str:
    chunks = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal closed: the command ended
                break
            if not chunk:
                break
            chunks.append(chunk)
        elif process.poll() is not None:
            break
    return b"".join(chunks).decode("utf-8", errors="replace")


@pytest.mark.parametrize("no_color", [False, True])
def test_a_terminal_gets_a_progress_bar(scaffolded: Path, tmp_path: Path, no_color: bool) -> None:
    root = small_projects(scaffolded, tmp_path / "share", 2)
    env = {**os.environ, "COLUMNS": "100", "TERM": "xterm-256color"}
    for name in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        env.pop(name, None)
    if no_color:
        env["NO_COLOR"] = "1"
    main, secondary = pty.openpty()
    with subprocess.Popen(
        command(root), stdin=secondary, stdout=secondary, stderr=secondary, env=env
    ) as process:
        os.close(secondary)
        output = read_terminal(main, process)
        process.wait(timeout=60)
    os.close(main)
    assert process.returncode == 0, output
    assert "reports" in output
    assert "━" in output  # the bar
    assert "2 project(s): 2 ok" in output
    assert f"OK       {root / 'p00'}" in output.replace("\r\n", "\n")
    assert (ANSI_COLOUR in output) is not no_color


def test_quiet_prints_nothing_when_all_is_well(run_cli, scaffolded: Path, tmp_path: Path) -> None:
    root = small_projects(scaffolded, tmp_path / "share", 1)
    result = run_cli("report", "run", str(root), "-q")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""
