"""``codesign diff``: what a workshop changed, in a notebook or in the charter."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from codesign.charter import load_charter, preset_text
from codesign.charter.model import Outcome
from codesign.exceptions import CharterError, ReportError
from codesign.review import DiffOptions, diff_files


@pytest.fixture
def notebooks(tmp_path: Path) -> tuple[Path, Path]:
    old = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_markdown_cell("# Triage"),
            nbformat.v4.new_code_cell("threshold = 0.3", outputs=[], execution_count=1),
        ]
    )
    old.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="0.3\n")]
    new = nbformat.from_dict(json.loads(json.dumps(old)))
    new.cells[1].source = "threshold = 0.25"
    a, b = tmp_path / "a.ipynb", tmp_path / "b.ipynb"
    nbformat.write(old, a)
    nbformat.write(new, b)
    return a, b


def test_notebook_sources_are_compared(notebooks: tuple[Path, Path]) -> None:
    result = diff_files(*notebooks)
    assert result.kind == "notebook"
    assert result.changes >= 1
    assert "## modified /cells/1/source:\n-  threshold = 0.3\n+  threshold = 0.25" in result.text


def test_outputs_are_left_out_unless_asked(tmp_path: Path, notebooks: tuple[Path, Path]) -> None:
    a, _ = notebooks
    nb = nbformat.read(a, as_version=4)
    nb.cells[1].outputs[0].text = "0.31\n"
    nb.cells[1].execution_count = 7
    nb.metadata["papermill"] = {"duration": 3.2}
    c = tmp_path / "c.ipynb"
    nbformat.write(nb, c)
    quiet = diff_files(a, c)
    assert quiet.changes == 0
    assert quiet.text == "No difference in the cells' sources."
    loud = diff_files(a, c, DiffOptions(outputs=True))
    assert loud.changes >= 1
    assert "0.31" in loud.text
    assert diff_files(a, c, DiffOptions(metadata=True)).changes >= 1


def test_charters_are_compared_by_outcome(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        folder.mkdir()
        (folder / "codesign.yaml").write_text(preset_text("triage"), encoding="utf-8")
    file = load_charter(new)
    charter = file.charter
    charter.outcomes[1].target = ">= 0.97"
    charter.outcomes = [
        charter.outcomes[1],
        charter.outcomes[0],
        *charter.outcomes[3:],
        Outcome(
            id="ppv_alerts",
            title="Alerts are right",
            category="adoption",
            metric="ppv",
            target=">= 0.5",
        ),
    ]
    file.save()
    result = diff_files(old, new / "codesign.yaml")
    assert result.kind == "charter"
    lines = result.text.splitlines()
    assert lines[0] == f"Charter changes from {old} to {new / 'codesign.yaml'}: {result.changes}"
    assert (
        lines[1] == "  in short: 1 outcome(s) added, 1 outcome(s) removed, "
        "2 outcome(s) moved, 1 target(s) changed"
    )
    assert (
        '  outcomes[over_triage]: removed (was "Keep over-triage within what the department can '
        'absorb")' in lines
    )
    assert '  outcomes[ppv_alerts]: added "Alerts are right"' in lines
    assert '  outcomes[high_acuity_sensitivity].target: ">= 0.95" → ">= 0.97"' in lines
    assert "  outcomes[high_acuity_sensitivity]: moved from position 2 to 1" in lines
    same = diff_files(old, old)
    assert same.changes == 0
    assert "none: the two charters say the same." in same.text


def test_cli_diff(run_cli, notebooks: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = notebooks
    result = run_cli("diff", str(a), str(b))
    assert result.returncode == 0, result.stderr
    assert "threshold = 0.25" in result.stdout
    assert "\x1b[" not in result.stdout  # not a terminal: no colours
    document = json.loads(run_cli("diff", str(a), str(b), "--json").stdout)
    assert document["kind"] == "notebook"
    assert document["changes"] >= 1


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("missing.ipynb", "a.ipynb", "missing.ipynb: no such file or folder"),
        ("a.ipynb", "charter.yaml", "cannot compare a notebook"),
        ("a.ipynb", "notes.txt", "expected a notebook (.ipynb) or a charter"),
        ("a.ipynb", "broken.ipynb", "broken.ipynb: not a Jupyter notebook"),
        ("charter.yaml", "bad.yaml", "bad.yaml"),
        ("a.ipynb", "folder", "a folder without codesign.yaml"),
    ],
)
def test_bad_inputs_exit_2(
    run_cli, tmp_path: Path, notebooks: tuple[Path, Path], old: str, new: str, message: str
) -> None:
    (tmp_path / "charter.yaml").write_text(preset_text("blank"), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("schema_version: 1\nuse_case: {}\n", encoding="utf-8")
    (tmp_path / "broken.ipynb").write_text("{not json", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    result = run_cli("diff", str(tmp_path / old), str(tmp_path / new))
    assert result.returncode == 2, result.stdout
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    with pytest.raises((ReportError, CharterError)):
        diff_files(tmp_path / old, tmp_path / new)


def test_library_errors_are_report_errors(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no such file"):
        diff_files(tmp_path / "x.ipynb", tmp_path / "y.ipynb")
