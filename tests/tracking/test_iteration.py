"""Logging iterations to the embedded store, read back through the plain MLflow client."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from tests.conftest import free_port
from tests.tracking.conftest import track_in_parallel

from codesign.charter import load_charter, parse_charter
from codesign.exceptions import DataError, GateRefusedError, TrackingError
from codesign.fileio import sha256_file
from codesign.project import GateFinding, GateRecord, Project, record_gate_result
from codesign.tracking import IterationOptions, read_iterations, track, track_model
from codesign.tracking.reading import read_sqlite, read_with_client, sqlite_path

SLUG = "sepsis-alert"


def client_for(project: Path) -> Any:
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=Project.at(project).tracking_uri())


def runs_of(project: Path, experiment: str = SLUG) -> list[Any]:
    client = client_for(project)
    found = client.get_experiment_by_name(experiment)
    if found is None:
        return []
    return list(client.search_runs([found.experiment_id], order_by=["attributes.start_time ASC"]))


def gate(project: Path, data_sha256: str, *, passed: bool) -> None:
    findings = (
        []
        if passed
        else [
            GateFinding(column="note", category="phi.name", count=3, check="phi"),
            GateFinding(column="note", category="phi.phone", count=2, check="phi"),
            GateFinding(column="comment", category="phi.name", count=1, check="phi"),
        ]
    )
    record_gate_result(
        Project.at(project),
        GateRecord(
            passed=passed,
            rows=10,
            findings=findings,
            data_sha256=data_sha256,
            source="extract.csv",
            charter_sha256="0" * 64,
            checked_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        ),
    )


def test_track_cli_logs_one_run_with_everything_the_issue_lists(
    project: Path, predictions_file: Path, feedback_file: Path, run_cli: Any
) -> None:
    result = run_cli(
        "track",
        str(predictions_file),
        "--project",
        str(project),
        "--name",
        "vendor-v1",
        "--feedback",
        str(feedback_file),
        "--json",
    )
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document)[:3] == ["run_id", "name", "outcomes"]
    assert document["name"] == "vendor-v1"
    charter = load_charter(project).charter
    assert [o["id"] for o in document["outcomes"]] == [o.id for o in charter.outcomes]
    for outcome in document["outcomes"]:
        assert {"id", "metric", "value", "target", "met"} <= set(outcome)
        assert outcome["value"] is None or isinstance(outcome["value"], float)
        assert outcome["met"] in (True, False, None)
    by_id = {o["id"]: o for o in document["outcomes"]}
    assert by_id["sens"] == {
        "id": "sens",
        "metric": "sensitivity",
        "value": pytest.approx(0.8),
        "target": ">= 0.75",
        "met": True,
        "verdict": "met",
        "note": None,
    }
    assert by_id["usability"]["value"] == pytest.approx(75)  # the old-model record is left out

    (run,) = runs_of(project)
    assert run.info.run_id == document["run_id"]
    assert run.info.run_name == "vendor-v1"
    assert run.info.status == "FINISHED"
    metrics, tags, params = run.data.metrics, run.data.tags, run.data.params
    for outcome in document["outcomes"]:
        assert metrics[outcome["id"]] == pytest.approx(outcome["value"])
        assert tags[f"codesign.verdict.{outcome['id']}"] == outcome["verdict"]
        assert tags[f"codesign.target.{outcome['id']}"] == outcome["target"]
    assert metrics["all/auroc"] == pytest.approx(21 / 25)
    assert metrics["all/under_triage_rate"] == pytest.approx(0.3)
    assert tags["codesign.charter_sha256"] == charter.content_sha256()
    assert tags["codesign.governance"] == "not run"
    assert tags["codesign.predictions_sha256"] == sha256_file(predictions_file)
    assert tags["codesign.feedback_sha256"] == sha256_file(feedback_file)
    assert tags["codesign.author"] == tags["mlflow.user"] == getpass.getuser()
    assert params["codesign.rows"] == "10"
    assert params["codesign.feedback_records"] == "11"
    assert params["codesign.columns"] == "y_true,y_score,y_pred,level_true,level_pred,sex"

    client = client_for(project)
    snapshot = client.download_artifacts(run.info.run_id, "charter/codesign.yaml")
    assert parse_charter(Path(snapshot).read_text()).content_sha256() == charter.content_sha256()
    evaluation = json.loads(
        Path(client.download_artifacts(run.info.run_id, "codesign/evaluation.json")).read_text()
    )
    assert evaluation["outcomes"] == json.loads(json.dumps(document["outcomes"]))
    assert run.info.artifact_uri.startswith((project / "mlruns" / "artifacts").resolve().as_uri())
    assert (project / "mlruns" / "mlflow.db").is_file()


def test_track_cli_prints_a_readable_verdict_table(
    project: Path, predictions_file: Path, run_cli: Any
) -> None:
    result = run_cli("track", str(predictions_file), "--project", str(project), "--no-feedback")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith('Logged iteration "predictions-small-')
    assert "to experiment sepsis-alert" in lines[0]
    assert "governance of the data: not gated" in lines[1]
    assert lines[3].split() == ["outcome", "metric", "value", "target", "verdict"]
    table = {line.split()[0]: line for line in lines[5:] if line and not line[0].isdigit()}
    assert table["sens"].split() == ["sens", "sensitivity", "0.8", ">=", "0.75", "met"]
    assert table["spec"].split()[-2:] == ["NOT", "MET"]
    assert "not measured (no SUS questionnaire in the feedback records)" in table["usability"]
    assert lines[-1] == "8 met, 7 not met, 4 not measured"
    assert result.stderr == ""


def test_governance_status_of_the_data(
    project: Path, predictions_file: Path, tmp_path: Path
) -> None:
    extract = tmp_path / "extract.csv"
    extract.write_text("age,sex\n54,F\n")
    options = IterationOptions(use_feedback=False)
    assert track(predictions_file, project=project, options=options).governance == "not run"
    gate(project, sha256_file(predictions_file), passed=True)
    passed = track(predictions_file, project=project, options=options)
    assert passed.governance == "passed"
    gate(project, sha256_file(extract), passed=False)
    with_data = IterationOptions(use_feedback=False, data=extract, name="on-failed-data")
    with pytest.raises(GateRefusedError, match=r"phi.name 4, phi.phone 2.*--override-gate") as e:
        track(predictions_file, project=project, options=with_data)
    assert e.value.findings == {"phi.name": 4, "phi.phone": 2}
    assert len(runs_of(project)) == 2  # nothing logged
    with pytest.raises(TrackingError, match="give the reason in words"):
        track(predictions_file, project=project, options=replace(with_data, override_gate="  "))
    overridden = replace(with_data, override_gate="vendor extract;  DPO agreed")
    failed = track(predictions_file, project=project, options=overridden)
    assert failed.governance == "failed"
    assert failed.gate_override == "vendor extract; DPO agreed"
    assert "failed (overridden: vendor extract; DPO agreed)" in str(failed)
    tags = {r.info.run_id: r.data.tags for r in runs_of(project)}
    assert tags[passed.run_id]["codesign.governance"] == "passed"
    assert "codesign.gate_override" not in tags[passed.run_id]
    assert tags[failed.run_id]["codesign.governance"] == "failed"
    assert tags[failed.run_id]["codesign.gate_override"] == "vendor extract; DPO agreed"
    assert tags[failed.run_id]["codesign.data_sha256"] == sha256_file(extract)
    with pytest.raises(DataError, match="data file not found"):
        track(predictions_file, project=project, options=IterationOptions(data=tmp_path / "x.csv"))


def test_project_feedback_is_used_by_default_and_filtered_by_iteration(
    project: Path, predictions_file: Path, feedback_file: Path
) -> None:
    (project / "feedback").mkdir()
    (project / "feedback" / "records.csv").write_bytes(feedback_file.read_bytes())
    general = track(predictions_file, project=project, options=IterationOptions(name="new"))
    usability = general.evaluation.outcome("usability")
    assert usability is not None
    assert usability.value == pytest.approx(75)
    old = track(predictions_file, project=project, options=IterationOptions(name="old-model"))
    usability = old.evaluation.outcome("usability")
    trust = old.evaluation.outcome("nurse_trust")
    assert usability is not None
    assert usability.value == 0
    assert usability.met is False
    assert trust is not None
    assert trust.verdict == "not measured"
    ignored = track(predictions_file, project=project, options=IterationOptions(use_feedback=False))
    assert ignored.evaluation.feedback_records == 0


def test_a_model_and_its_predictions_file_give_the_same_result(
    project: Path, predictions_file: Path, tmp_path: Path
) -> None:
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame(
        {
            "age": rng.integers(18, 95, n),
            "lactate": rng.gamma(2.0, 1.2, n),
            "sex": rng.choice(["F", "M"], n),
        }
    )
    risk = 1 / (1 + np.exp(-(0.04 * (frame["age"] - 60) + 0.8 * (frame["lactate"] - 2.4))))
    frame["y_true"] = (rng.random(n) < risk).astype(int)
    model = LogisticRegression().fit(frame[["age", "lactate"]], frame["y_true"])
    options = IterationOptions(use_feedback=False, name="lr")
    from_model = track_model(model, frame, project=project, options=options)

    exported = frame[["y_true", "sex"]].assign(
        y_score=model.predict_proba(frame[["age", "lactate"]])[:, 1],
        y_pred=model.predict(frame[["age", "lactate"]]),
    )
    exported.to_csv(tmp_path / "lr.csv", index=False)
    from_file = track(tmp_path / "lr.csv", project=project, options=replace(options, name="lr-2"))
    values_model = {o.id: o.value for o in from_model.outcomes}
    values_file = {o.id: o.value for o in from_file.outcomes}
    assert values_model.keys() == values_file.keys()
    for key, value in values_model.items():
        assert value == pytest.approx(values_file[key], abs=1e-12), key
    assert values_model["ranking"] is not None
    assert [o.verdict for o in from_model.outcomes] == [o.verdict for o in from_file.outcomes]
    assert from_model.evaluation.panel == pytest.approx(dict(from_file.evaluation.panel))


def test_no_patient_value_reaches_mlflow_or_the_output(
    project: Path, predictions_file: Path, tmp_path: Path, run_cli: Any
) -> None:
    from faker import Faker

    fake = Faker("fr_FR")
    fake.seed_instance(11)
    canaries = [fake.name(), fake.ssn(), fake.address().replace("\n", " ")]
    frame = pd.read_csv(predictions_file)
    frame["sex"] = [canaries[0] if i % 2 else "F" for i in range(len(frame))]
    frame["case"] = canaries[1]
    frame["note"] = canaries[2]
    planted = tmp_path / "planted.csv"
    frame.to_csv(planted, index=False)
    outputs = [
        run_cli("track", str(planted), "--project", str(project), "--json"),
        run_cli("track", str(planted), "--project", str(project)),
        run_cli("compare", "--project", str(project), "--json"),
        run_cli("compare", "--project", str(project)),
    ]
    assert all(r.returncode == 0 for r in outputs), [r.stderr for r in outputs]
    by_id = {o["id"]: o for o in json.loads(outputs[0].stdout)["outcomes"]}
    assert by_id["sex_gap"]["value"] is not None  # the canary group was measured
    written = [p for p in project.rglob("*") if p.is_file()]
    assert any(p.name == "mlflow.db" for p in written)
    assert any(p.name == "codesign.yaml" and "artifacts" in p.parts for p in written)
    for canary in canaries:
        needle = canary.encode("utf-8")
        for path in written:
            assert needle not in path.read_bytes(), (canary, path)
        for result in outputs:
            assert canary not in result.stdout + result.stderr


def test_a_run_that_fails_while_logging_is_marked_failed(
    project: Path, predictions_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("artifacts cannot go under a file")
    monkeypatch.setenv("CODESIGN_ARTIFACT_ROOT", blocker.as_uri())
    with pytest.raises(TrackingError, match="could not log the iteration to the tracking store"):
        track(predictions_file, project=project, options=IterationOptions(use_feedback=False))
    (run,) = runs_of(project)
    assert run.info.status == "FAILED"
    assert read_iterations(project) == []


def test_unreachable_tracking_server_fails_fast_and_logs_nothing(
    project: Path, predictions_file: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CODESIGN_TRACKING_URI", f"http://127.0.0.1:{free_port()}")
    start = time.monotonic()
    result = run_cli("track", str(predictions_file), "--project", str(project))
    assert result.returncode == 2
    assert time.monotonic() - start < 30
    assert result.stderr.startswith(
        "codesign: error: cannot reach the tracking server http://127.0.0.1:"
    )
    assert "Traceback" not in result.stderr
    assert not (project / "mlruns").exists()
    compared = run_cli("compare", "--project", str(project))
    assert compared.returncode == 2
    assert "cannot reach the tracking server" in compared.stderr


def test_four_concurrent_tracks_land_in_the_project_experiment(
    project: Path, predictions_file: Path
) -> None:
    track_in_parallel(project, predictions_file, [f"parallel-{i}" for i in range(4)])
    client = client_for(project)
    experiments = {e.name: e.experiment_id for e in client.search_experiments()}
    assert SLUG in experiments
    runs = client.search_runs([experiments[SLUG]])
    assert sorted(r.info.run_name for r in runs) == [f"parallel-{i}" for i in range(4)]
    assert {r.info.status for r in runs} == {"FINISHED"}
    for name, experiment_id in experiments.items():
        if name != SLUG:
            assert client.search_runs([experiment_id]) == [], name


def test_both_read_paths_return_the_same_iterations(project: Path, predictions_file: Path) -> None:
    logged = {
        name: track(predictions_file, project=project, options=IterationOptions(name=name))
        for name in ("a", "b", "c", "deleted")
    }
    client = client_for(project)
    client.delete_run(logged["deleted"].run_id)
    experiment_id = client.get_experiment_by_name(SLUG).experiment_id
    client.create_run(experiment_id, run_name="still-running")  # never a finished iteration
    uri = Project.at(project).tracking_uri()
    path = sqlite_path(uri)
    assert path is not None
    fast = read_sqlite(path, SLUG)
    slow = read_with_client(uri, SLUG)
    assert [r.name for r in fast] == ["a", "b", "c"]
    assert fast == slow
    assert fast == read_iterations(project)
    first = fast[0]
    assert first.value("sens") == pytest.approx(0.8)
    assert first.verdict("sens") == "met"
    assert first.target("sens") == ">= 0.75"
    assert first.governance == "not run"
    assert first.predictions_sha256 == sha256_file(predictions_file)
    assert first.author == getpass.getuser()
    assert read_sqlite(path, "another-experiment") == []
    assert read_sqlite(path.parent / "absent.db", SLUG) == []


def test_reading_does_not_import_mlflow(project: Path, predictions_file: Path) -> None:
    track(predictions_file, project=project, options=IterationOptions(name="a"))
    code = (
        "import sys\n"
        "from codesign.tracking import read_iterations, compare\n"
        f"assert len(read_iterations({str(project)!r})) == 1\n"
        f"assert len(compare({str(project)!r}).iterations) == 1\n"
        "heavy = [m for m in ('mlflow', 'pandas', 'sklearn', 'fairlearn') if m in sys.modules]\n"
        "assert heavy == [], heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_iteration_names_are_checked(project: Path, predictions_file: Path) -> None:
    for bad in ("", "   ", "tab\tname", "x" * 201):
        with pytest.raises(TrackingError, match="iteration name: expected 1 to 200"):
            track(predictions_file, project=project, options=IterationOptions(name=bad))
    assert not (project / "mlruns").exists()


def test_a_deleted_experiment_is_not_silently_recreated(
    project: Path, predictions_file: Path
) -> None:
    first = track(predictions_file, project=project)
    client = client_for(project)
    experiment = client.get_experiment_by_name(SLUG)
    client.delete_experiment(experiment.experiment_id)
    with pytest.raises(TrackingError, match="experiment 'sepsis-alert' was deleted"):
        track(predictions_file, project=project)
    assert read_iterations(project) == []
    client.restore_experiment(experiment.experiment_id)
    assert [r.run_id for r in read_iterations(project)] == [first.run_id]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "predictions file not found"),
        ("", "the predictions file is empty"),
        ("y_true,y_score\n", "the predictions hold a header but no rows"),
        ("y_true,y_score\n1,1.7\n0,0.2\n", "column y_score: 1 row outside 0 to 1"),
        ("y_true,y_score\n3,0.7\n,0.2\n", "column y_true: 1 row empty (NaN)"),
        ("y_score,sex\n0.7,F\n", "missing column y_true, the reference to compare with"),
    ],
    ids=["missing", "empty", "header-only", "score-range", "labels", "no-truth"],
)
def test_bad_predictions_exit_2_and_log_nothing(
    project: Path, tmp_path: Path, run_cli: Any, content: str | None, expected: str
) -> None:
    path = tmp_path / "bad.csv"
    if content is not None:
        path.write_text(content)
    result = run_cli("track", str(path), "--project", str(project))
    assert result.returncode == 2
    assert result.stderr.startswith(f"codesign: error: {path}: ")
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert not (project / "mlruns").exists()


def test_not_a_project_and_bad_feedback_exit_2(
    tmp_path: Path, project: Path, predictions_file: Path, run_cli: Any
) -> None:
    result = run_cli("track", str(predictions_file), "--project", str(tmp_path / "nowhere"))
    assert result.returncode == 2
    assert "not a codesign project" in result.stderr
    missing = run_cli(
        "track", str(predictions_file), "--project", str(project), "--feedback", "absent.csv"
    )
    assert missing.returncode == 2
    assert "absent.csv: feedback file not found" in missing.stderr
    assert not (project / "mlruns").exists()


def test_feedback_only_iterations(project: Path, feedback_file: Path, run_cli: Any) -> None:
    result = track(None, project=project, options=IterationOptions(feedback=feedback_file))
    measured = {o.id: o.verdict for o in result.outcomes if o.verdict != "not measured"}
    assert measured == {
        "usability": "met",
        "nurse_trust": "met",
        "time_saved": "met",
        "rated_accurate": "not met",
    }
    assert result.predictions_sha256 is None
    assert result.governance == "not run"
    nothing = run_cli("track", "--project", str(project), "--no-feedback")
    assert nothing.returncode == 2
    assert "nothing to measure; give a predictions file, or feedback records" in nothing.stderr
