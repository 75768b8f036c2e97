"""The notebooks that show the forms: stored stripped, and the kit's example runs on a real kernel.

The project notebooks (``00_workshop``, ``03_feedback``) are executed by the scaffolding tests
on freshly made projects; here the kit's own example, ``notebooks/workshop.ipynb``, runs top to
bottom on a copy of a preset charter in a temporary folder, as a newcomer would run it.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parents[2]
TEMPLATE_NOTEBOOKS = REPO / "cookiecutter" / "{{cookiecutter.project_slug}}" / "notebooks"
NOTEBOOKS = [
    REPO / "notebooks" / "workshop.ipynb",
    TEMPLATE_NOTEBOOKS / "00_workshop.ipynb",
    TEMPLATE_NOTEBOOKS / "03_feedback.ipynb",
]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

EXECUTE = """
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

path, out = Path(sys.argv[1]), Path(sys.argv[2])
notebook = nbformat.read(path, as_version=4)
client = NotebookClient(notebook, timeout=180, kernel_name="python3",
                        resources={"metadata": {"path": str(out.parent)}})
client.execute()
nbformat.write(notebook, out)
"""


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_stored_stripped_and_calls_the_library_only(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code)
    tagged = [cell for cell in code if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1
    for cell in code:
        # parameters, imports from codesign, and calls: no function, class or loop of its own
        assert not any(
            line.lstrip().startswith(("def ", "class ", "for ", "while ", "if "))
            for line in cell.source.splitlines()
        ), cell.source


@pytest.mark.slow
def test_the_kits_example_notebook_runs_on_a_temporary_copy(tmp_path: Path) -> None:
    out = tmp_path / "workshop.executed.ipynb"
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    result = subprocess.run(
        [sys.executable, "-c", EXECUTE, str(REPO / "notebooks" / "workshop.ipynb"), str(out)],
        env={**os.environ, "TMPDIR": str(scratch)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    cells = nbformat.read(out, as_version=4).cells
    outputs = [o for cell in cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error" or o.get("name") == "stderr"]
    views = [o for o in outputs if WIDGET_VIEW in o.get("data", {})]
    # use case, outcomes, intended use, risks, data, decision, sign-off, feedback
    assert len(views) == 8
    assert all("text/html" in o.data for o in views)  # a static table for viewers without widgets
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert printed.startswith("Nurse triage assistant (co-design): ")
    (copy,) = scratch.glob("codesign-workshop-*/codesign.yaml")
    assert copy.read_text(encoding="utf-8").startswith("# codesign outcome charter")
    assert not (REPO / "notebooks" / "codesign.yaml").exists()
