"""``codesign portfolio`` as a user runs it: where the dashboard is, one summary line, exit 0."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.portfolio.conftest import Tree


def test_the_command_writes_the_dashboard_and_says_so(
    tree: Tree, tmp_path: Path, run_cli: Any
) -> None:
    result = run_cli("portfolio", str(tree.root), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == (
        f"Portfolio: {tmp_path / 'out' / 'index.html'} (with portfolio.csv and portfolio.json)"
    )
    assert lines[1].startswith("10 initiatives: ")
    assert lines[1].endswith("; 3 cannot be read fully")
    assert "1 outcomes regressing" in lines[1]
    assert len(lines) == 2
    assert "Traceback" not in result.stderr
    assert "invalid-charter/codesign.yaml: invalid charter" in result.stderr  # a warning each
    for canary in tree.canaries:
        assert canary not in result.stdout + result.stderr
    document = json.loads((tmp_path / "out" / "portfolio.json").read_text())
    assert document["summary"]["initiatives"] == 10


def test_the_default_output_folder_is_portfolio(tree: Tree, tmp_path: Path, run_cli: Any) -> None:
    result = run_cli("-q", "portfolio", str(tree.root / "site-a"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "portfolio" / "index.html").is_file()
    assert result.stderr == ""


def test_bad_input_exits_2_with_our_message(tree: Tree, tmp_path: Path, run_cli: Any) -> None:
    missing = run_cli("portfolio", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o"))
    assert missing.returncode == 2
    assert missing.stderr.strip() == (
        f"codesign: error: {tmp_path / 'nowhere'}: does not exist; "
        "expected a folder holding codesign projects"
    )
    assert not (tmp_path / "o").exists()

    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "index.html").write_text("<p>my page</p>")
    foreign = run_cli("portfolio", str(tree.root), "--out", str(tmp_path / "mine"))
    assert foreign.returncode == 2
    assert "index.html: exists and was not written by `codesign portfolio`" in foreign.stderr
    assert (tmp_path / "mine" / "index.html").read_text() == "<p>my page</p>"

    days = run_cli("portfolio", str(tree.root), "--stale-days", "0", "--out", str(tmp_path / "o"))
    assert days.returncode == 2
    assert "stale_after_days: expected a number of days >= 1, got 0" in days.stderr

    usage = run_cli("portfolio")
    assert usage.returncode == 2
    assert "ROOT" in usage.stderr
    for result in (missing, foreign, days, usage):
        assert "Traceback" not in result.stderr


def test_embedded_stores_are_read_without_mlflow(tree: Tree, tmp_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from codesign.cli import main\n"
        f"code = main(['-q', 'portfolio', {str(tree.root)!r}, '--out', {str(tmp_path)!r}])\n"
        "heavy = ('mlflow', 'pandas', 'sklearn', 'great_expectations', 'sqlalchemy')\n"
        "print(json.dumps([code, [m for m in heavy if m in sys.modules]]), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == [0, []]


def test_help_lists_the_command(run_cli: Any) -> None:
    result = run_cli("--help")
    assert "portfolio" in result.stdout
    result = run_cli("portfolio", "--help")
    assert "--out DIR" in result.stdout
    assert result.returncode == 0
