"""`codesign track` and `codesign compare` are listed and cheap to ask about."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("mlflow", "pandas", "sklearn", "fairlearn", "numpy")


def test_help_of_track_and_compare_imports_no_heavy_library() -> None:
    code = (
        "import json, sys\n"
        "from codesign.cli import main\n"
        "for argv in (['--help'], ['track', '--help'], ['compare', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stderr.strip().splitlines()[-1]) == []
    assert "track" in result.stdout
    assert "compare" in result.stdout
    assert "--feedback FILE" in result.stdout
    assert "--data FILE" in result.stdout
