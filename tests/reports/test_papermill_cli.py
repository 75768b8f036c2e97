"""The report notebook runs with the plain Papermill CLI too, from the root or from notebooks/."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from .conftest import report_texts

pytestmark = pytest.mark.slow


def papermill(cwd: Path, notebook: str, output: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "papermill", notebook, str(output), "-p", "project_dir", "."],
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_plain_papermill_from_the_root_and_from_notebooks(project_copy: Path) -> None:
    out = project_copy.parent / "out"
    out.mkdir()
    runs = {
        "root": papermill(project_copy, "notebooks/report.ipynb", out / "root.ipynb"),
        "notebooks": papermill(project_copy / "notebooks", "report.ipynb", out / "nb.ipynb"),
    }
    for name, process in runs.items():
        _, stderr = process.communicate(timeout=300)
        assert process.returncode == 0, f"{name}: {stderr[-3000:]}"
    for path in (out / "root.ipynb", out / "nb.ipynb"):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", output
                assert output.get("name") != "stderr", output
        text = report_texts(path)
        assert ">Triage</h1>" in text
        assert len(re.findall(r'<img src="data:image/png;base64,', text)) == 7
        assert "The gate passed" in text
    assert not list((project_copy / "reports").glob("*.html"))  # papermill alone writes its output
