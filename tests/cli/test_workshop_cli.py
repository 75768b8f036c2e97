"""``codesign workshop``: bad input is refused before any server starts (a real start is in
tests/jupyter)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from codesign.charter import preset_text


def project(tmp_path: Path, text: str | None = None) -> Path:
    (tmp_path / "codesign.yaml").write_text(text or preset_text("blank"), encoding="utf-8")
    return tmp_path


def test_not_a_project_is_a_clear_error(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("workshop", "--project", str(tmp_path), "--no-browser", "--allow-root")
    assert result.returncode == 2
    assert "not a codesign project (no codesign.yaml)" in result.stderr
    assert "http://" not in result.stdout


def test_a_broken_charter_is_told_before_serving(run_cli: Any, tmp_path: Path) -> None:
    broken = preset_text("triage").replace('target: "<= 0.05"', 'target: "<= low"', 1)
    folder = project(tmp_path, broken)
    result = run_cli("workshop", "--project", str(folder), "--no-browser", "--allow-root")
    assert result.returncode == 2
    assert "invalid charter" in result.stderr
    assert "Traceback" not in result.stderr
    assert "http://" not in result.stdout


def test_lan_refuses_a_wildcard_and_a_name(run_cli: Any, tmp_path: Path) -> None:
    folder = project(tmp_path)
    for address, says in (
        ("0.0.0.0", "refusing to listen on every interface"),  # noqa: S104 - what is refused
        ("meeting-room", "expected this machine's IP address"),
        ("192.0.2.77", "cannot listen on 192.0.2.77"),  # TEST-NET: not this machine's
    ):
        result = run_cli(
            "workshop", "--project", str(folder), "--lan", address, "--no-browser", "--allow-root"
        )
        assert result.returncode == 2, result.stderr
        assert says in result.stderr
        assert "http://" not in result.stdout


def test_a_bad_port_is_refused(run_cli: Any, tmp_path: Path) -> None:
    result = run_cli("workshop", "--project", str(tmp_path), "--port", "70000")
    assert result.returncode == 2
    assert "expected a port number from 1 to 65535" in result.stderr
