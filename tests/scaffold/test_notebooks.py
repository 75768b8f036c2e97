"""The notebooks of a new project run top to bottom on a real kernel, as in JupyterLab.

Each notebook is executed with nbclient from its own folder (``notebooks/``, as JupyterLab runs
it), and the report once more with the Papermill CLI from the project root with ``project_dir``
injected, as a report runner does. A run fails on any error output or warning shown to the user.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from tests.conftest import found_in

from codesign.charter.feedback import FeedbackRecord, append_feedback
from codesign.project import FEEDBACK_FILE, GateRecord, Project, record_gate_result
from codesign.scaffold import ProjectSpec, create_project

from .conftest import isolated_env

pytestmark = pytest.mark.slow

EXECUTE = """
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

for name in sys.argv[1:]:
    path = Path(name)
    notebook = nbformat.read(path, as_version=4)
    resources = {"metadata": {"path": str(path.parent)}}
    client = NotebookClient(notebook, timeout=180, kernel_name="python3", resources=resources)
    client.execute()
    nbformat.write(notebook, path.with_suffix(".executed.ipynb"))
"""


def execute(notebooks: list[Path]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", EXECUTE, *map(str, notebooks)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def outputs(path: Path) -> list[dict[str, object]]:
    notebook = nbformat.read(path, as_version=4)
    return [output for cell in notebook.cells for output in cell.get("outputs", [])]


def shown(path: Path) -> str:
    """Everything a reader sees in the executed notebook: text and HTML outputs."""
    parts = []
    for output in outputs(path):
        if output.get("output_type") == "stream":
            parts.append(str(output["text"]))
        data = output.get("data", {})
        assert isinstance(data, dict)
        parts.extend(str(data.get(kind, "")) for kind in ("text/html", "text/markdown"))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """A triage project with a gate result, a blank one with feedback; every notebook run."""
    home = tmp_path_factory.mktemp("nb-home")
    output = tmp_path_factory.mktemp("nb")
    with isolated_env(home):
        triage = create_project(ProjectSpec.from_name("Triage", preset="triage"), output)
        record_gate_result(
            Project.at(triage),
            GateRecord(
                passed=True,
                rows=1200,
                data_sha256="ab" * 32,
                source="extract.csv",
                charter_sha256="cd" * 32,
                checked_at=dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC),
            ),
        )
        blank = create_project(ProjectSpec.from_name("Blank", preset="blank"), output)
        append_feedback(
            blank / FEEDBACK_FILE,
            [FeedbackRecord(kind="sus", respondent_role="triage nurse", sus=(4, 2) * 5)],
        )
        for project in (triage, blank):
            execute(sorted((project / "notebooks").glob("*.ipynb")))
        yield {"triage": triage, "blank": blank}


@pytest.mark.parametrize("preset", ["triage", "blank"])
@pytest.mark.parametrize(
    "notebook", ["00_workshop", "01_governance", "02_iterations", "03_feedback", "report"]
)
def test_notebook_runs_cleanly(executed: dict[str, Path], preset: str, notebook: str) -> None:
    path = executed[preset] / "notebooks" / f"{notebook}.executed.ipynb"
    for output in outputs(path):
        assert output["output_type"] != "error", output
        assert output.get("name") != "stderr", output  # no warning in front of the workshop


def test_workshop_shows_the_charter_as_tables(executed: dict[str, Path]) -> None:
    text = shown(executed["triage"] / "notebooks" / "00_workshop.executed.ipynb")
    assert "Triage (co-design): " in text
    assert ">target</th>" in text
    assert "&lt;= 0.05" in text  # the under-triage target, HTML-escaped
    assert "Dr A. Martin" in text
    assert ">partner</td>" in text
    assert "Not signed off yet." in text
    assert "<b>What it is for</b>" in text
    assert "<b>Risks to patients</b>" in text
    assert "column(s) in the data contract." in text


def test_empty_sections_say_what_to_do(executed: dict[str, Path]) -> None:
    text = shown(executed["blank"] / "notebooks" / "00_workshop.executed.ipynb")
    assert "No outcomes yet" in text
    assert "No stakeholders yet" in text
    assert "not scored" in text


def test_governance_shows_contract_and_last_result(executed: dict[str, Path]) -> None:
    triage = shown(executed["triage"] / "notebooks" / "01_governance.executed.ipynb")
    assert ">nurse_note</td>" in triage
    assert "passed: extract.csv, 1200 rows, 0 finding(s), checked 2026-03-01 07:00 UTC" in triage
    blank = shown(executed["blank"] / "notebooks" / "01_governance.executed.ipynb")
    assert "The gate has not run on this project yet." in blank


def test_iterations_and_feedback(executed: dict[str, Path]) -> None:
    iterations = shown(executed["triage"] / "notebooks" / "02_iterations.executed.ipynb")
    assert "mlruns/mlflow.db, experiment 'triage'" in iterations
    feedback = shown(executed["blank"] / "notebooks" / "03_feedback.executed.ipynb")
    assert "SUS 75" in feedback
    assert "No feedback recorded yet." in shown(
        executed["triage"] / "notebooks" / "03_feedback.executed.ipynb"
    )


def test_papermill_runs_the_report_with_its_parameters(executed: dict[str, Path]) -> None:
    project = executed["triage"]
    out = project / "reports" / "report-test.ipynb"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            "notebooks/report.ipynb",
            str(out),
            "-p",
            "project_dir",
            str(project),
            "--cwd",
            str(project),
            "--kernel",
            "python3",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    notebook = nbformat.read(out, as_version=4)
    injected = [c for c in notebook.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    assert (
        json.dumps(str(project)) in injected[0].source or repr(str(project)) in injected[0].source
    )
    text = shown(out)
    assert ">Triage</h1>" in text
    assert ">Outcome</th>" in text
    assert "The gate passed" in text
    assert "1200 rows" in text


@pytest.fixture(scope="module")
def with_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A triage project whose data/ holds a raw extract (identifiers left in) and predictions."""
    import numpy as np

    from codesign.synthetic import raw_extract

    home = tmp_path_factory.mktemp("nb-data-home")
    with isolated_env(home):
        project = create_project(
            ProjectSpec.from_name("Triage data", preset="triage"), tmp_path_factory.mktemp("nbd")
        )
        planted = raw_extract(300, seed=7)
        planted.frame.to_csv(project / "data" / "raw.csv", index=False)
        frame = planted.frame
        rng = np.random.default_rng(7)
        level = frame["triage_level"].to_numpy()
        predictions = frame[["sex"]].assign(
            y_true=frame["critical_care"],
            y_score=np.clip(frame["critical_care"] * 0.6 + rng.uniform(0, 0.4, len(frame)), 0, 1),
            level_true=level,
            level_pred=np.clip(level + rng.choice([-1, 0, 0, 0, 1], len(frame)), 1, 5),
        )
        predictions.to_csv(project / "data" / "predictions.csv", index=False)
        (project / "canaries.txt").write_text("\n".join(planted.canaries))
        yield project


def papermill(project: Path, notebook: str, *params: str) -> Path:
    out = project / f"{notebook}.out.ipynb"
    argv = ["papermill", f"notebooks/{notebook}.ipynb", str(out), "-p", "project_dir", "."]
    for pair in zip(params[::2], params[1::2], strict=True):
        argv += ["-p", *pair]
    result = subprocess.run(
        [sys.executable, "-m", *argv],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def test_governance_notebook_runs_the_gate_without_showing_values(with_data: Path) -> None:
    out = papermill(with_data, "01_governance", "data_file", "data/raw.csv")
    text = shown(out)
    assert "Governance gate failed" in text
    assert "phone numbers" in text
    assert (with_data / "governance" / "data_docs" / "index.html").exists()
    raw = out.read_text()
    leaked = found_in(raw, (with_data / "canaries.txt").read_text().splitlines())
    assert leaked == []


def test_iterations_notebook_logs_and_compares(with_data: Path) -> None:
    out = papermill(
        with_data,
        "02_iterations",
        "predictions_file",
        "data/predictions.csv",
        "iteration_name",
        "notebook-v1",
    )
    text = shown(out)
    assert "notebook-v1" in text
    assert "under_triage" in text
    from codesign.tracking import read_iterations

    assert [r.name for r in read_iterations(Project.at(with_data))] == ["notebook-v1"]
