"""``codesign --help`` stays fast: it imports none of the heavy libraries."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("mlflow", "great_expectations", "papermill", "ipywidgets", "pandas", "sklearn", "pydantic")


def test_help_imports_no_heavy_library() -> None:
    code = (
        "import json, sys\n"
        "from codesign.cli import main\n"
        "try:\n"
        "    main(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
    assert "charter" in result.stdout


def test_version(run_cli) -> None:
    result = run_cli("--version")
    assert result.returncode == 0
    assert result.stdout.startswith("codesign ")
