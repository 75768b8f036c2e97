"""MLflow the MLflow way: what a plain MLflow user finds, and what codesign refuses to log."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from codesign.project import Project
from codesign.tracking import IterationOptions, track
from codesign.tracking.store import EXPERIMENT_TAGS, runs_url

CANARY = "Zéphyrine-Canary-7731"
"""A value planted in the data: it must never reach the tracking store."""


def client_for(project: Path) -> Any:
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=f"sqlite:///{project / 'mlruns' / 'mlflow.db'}")


def predictions_with_canary(tmp_path: Path, source: Path) -> Path:
    """The small predictions with a column holding the canary (a column codesign never reads)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    out = [lines[0] + ",note"] + [f"{line},{CANARY}" for line in lines[1:]]
    path = tmp_path / "canary.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_a_plain_mlflow_client_finds_exactly_the_iterations_with_their_datasets(
    project: Path, predictions_file: Path, tmp_path: Path
) -> None:
    canary = predictions_with_canary(tmp_path, predictions_file)
    digest = hashlib.sha256(canary.read_bytes()).hexdigest()
    for name in ("v1", "v2"):
        options = IterationOptions(name=name, use_feedback=False)
        track(canary, project=project, options=options)
    client = client_for(project)
    experiment = client.get_experiment_by_name("sepsis-alert")
    assert experiment.tags["mlflow.experimentKind"] == EXPERIMENT_TAGS["mlflow.experimentKind"]
    client.create_run(experiment.experiment_id, tags={"codesign.kind": "report"})  # not one
    runs = client.search_runs(
        [experiment.experiment_id], filter_string="tags.`codesign.kind` = 'iteration'"
    )
    assert sorted(run.info.run_name for run in runs) == ["v1", "v2"]
    for run in runs:
        inputs = run.inputs.dataset_inputs
        assert len(inputs) == 1
        dataset = inputs[0].dataset
        assert dataset.name == "canary.csv"
        assert dataset.digest == digest[:32]
        assert '"name": "y_score"' in dataset.schema
        assert '"type": "double"' in dataset.schema
        assert "note" not in dataset.schema  # a column codesign does not read is not described
        assert {t.key: t.value for t in inputs[0].tags} == {"mlflow.data.context": "evaluation"}
        assert run.data.tags["codesign.predictions_sha256"] == digest
    store = project / "mlruns"
    for path in store.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_ui_link_opens_the_runs_table() -> None:
    assert runs_url("http://127.0.0.1:5000/", "7") == "http://127.0.0.1:5000/#/experiments/7/runs"


def test_tracking_uri_precedence(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def tracking_uri(project_root: Path, override: str | None = None) -> str:
        return Project.at(project_root).tracking_uri(override)

    tmp_path = project
    embedded = tracking_uri(tmp_path)
    assert embedded.startswith("sqlite:///")
    assert embedded.endswith("mlruns/mlflow.db")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://mlflow.example:5000")
    assert tracking_uri(tmp_path) == "http://mlflow.example:5000"
    monkeypatch.setenv("CODESIGN_TRACKING_URI", "http://codesign.example:5000")
    assert tracking_uri(tmp_path) == "http://codesign.example:5000"
    assert tracking_uri(tmp_path, "http://argument:5000") == "http://argument:5000"


def test_bad_input_exits_2_and_logs_nothing(
    project: Path, predictions_file: Path, tmp_path: Path, run_cli: Any
) -> None:
    args = ("track", str(predictions_file), "--project", str(project), "--no-feedback")
    first = run_cli(*args, "--name", "v1-qsofa")
    assert first.returncode == 0, first.stderr
    again = run_cli(*args, "--name", "v1-qsofa")
    assert again.returncode == 2
    assert "'v1-qsofa' is already used" in again.stderr
    assert "--name v1-qsofa-2" in again.stderr
    blank = run_cli(*args, "--name", "v2", "--override-gate", " ")
    assert blank.returncode == 2
    assert "--override-gate: give the reason" in blank.stderr
    runs = client_for(project).search_runs(
        [client_for(project).get_experiment_by_name("sepsis-alert").experiment_id]
    )
    assert [run.info.run_name for run in runs] == ["v1-qsofa"]

    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "codesign.yaml").write_text(
        "schema_version: 1\nuse_case: {title: Nothing yet, slug: nothing-yet}\n", encoding="utf-8"
    )
    no_outcome = run_cli("track", str(predictions_file), "--project", str(empty))
    assert no_outcome.returncode == 2
    assert "the charter has no outcome" in no_outcome.stderr
    assert "notebooks/00_workshop.ipynb" in no_outcome.stderr
    assert not (empty / "mlruns" / "mlflow.db").exists()
