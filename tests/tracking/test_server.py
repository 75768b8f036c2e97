"""Scale-out: `codesign track` and `compare` through a real MLflow server on PostgreSQL.

The server is started for this module: `mlflow server` on 127.0.0.1 (a free port) with a
dedicated PostgreSQL database as backend store, a local artifact destination, and MLflow's
basic-auth app, so the path a hospital runs in production (a shared, authenticated server) is
the one tested. MLflow 3's security middleware accepts the Host header ``127.0.0.1:PORT`` by
default (localhost and private addresses), so no ``--allowed-hosts`` is needed.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import create_database, free_port
from tests.tracking.conftest import track_in_parallel

from codesign.fileio import sha256_file
from codesign.tracking.reading import read_with_client

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SLUG = "sepsis-alert"
ADMIN = "codesign-admin"


@dataclass(frozen=True)
class Server:
    url: str
    password: str
    artifacts: Path
    backend: str
    log: Path

    def env(self, *, authenticated: bool = True) -> dict[str, str]:
        env = {
            "CODESIGN_TRACKING_URI": self.url,
            "MLFLOW_TRACKING_USERNAME": ADMIN,
            "MLFLOW_TRACKING_PASSWORD": self.password,
        }
        if not authenticated:
            del env["MLFLOW_TRACKING_USERNAME"], env["MLFLOW_TRACKING_PASSWORD"]
        return env


def _create_database(postgres_url: str) -> str:
    # SQLAlchemy 2.1 reads a bare postgresql:// as psycopg 3; the server uses psycopg2
    url = create_database(postgres_url, "mlflow")
    return url.replace("postgresql://", "postgresql+psycopg2://", 1)


def _wait_healthy(
    url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 180
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"mlflow server exited with {process.returncode}:\n{log.read_text()[-3000:]}"
            )
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    pytest.fail(f"mlflow server not healthy after {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def server(postgres_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    base = tmp_path_factory.mktemp("mlflow-server")
    backend = _create_database(postgres_url)
    auth_backend = _create_database(postgres_url)
    password = secrets.token_urlsafe(16)
    config = base / "basic_auth.ini"
    config.write_text(
        "[mlflow]\n"
        "default_permission = READ\n"
        f"database_uri = {auth_backend}\n"
        f"admin_username = {ADMIN}\n"
        f"admin_password = {password}\n"
        "authorization_function = mlflow.server.auth:authenticate_request_basic_auth\n"
        # one PBKDF2 check per credential and minute, not per request
        "auth_cache_ttl_seconds = 60\n"
    )
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    artifacts = base / "artifacts"
    log = base / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MLFLOW_", "CODESIGN_"))}
    env.update(
        MLFLOW_DISABLE_TELEMETRY="true",
        DO_NOT_TRACK="true",
        MLFLOW_AUTH_CONFIG_PATH=str(config),
        MLFLOW_FLASK_SERVER_SECRET_KEY=secrets.token_hex(16),
    )
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "mlflow", "server",
                "--backend-store-uri", backend,
                "--artifacts-destination", str(artifacts),
                "--host", "127.0.0.1",
                "--port", str(port),
                "--workers", "1",
                "--app-name", "basic-auth",
            ],
            cwd=base,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )  # fmt: skip
    try:
        _wait_healthy(url, process, log)
        yield Server(url=url, password=password, artifacts=artifacts, backend=backend, log=log)
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server we started, and its workers (its own process group)."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture
def on_server(server: Server, monkeypatch: pytest.MonkeyPatch) -> Server:
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    return server


def client(server: Server) -> Any:
    from mlflow import MlflowClient

    return MlflowClient(tracking_uri=server.url)


def test_track_and_compare_through_the_server(
    on_server: Server, project: Path, predictions_file: Path, feedback_file: Path, run_cli: Any
) -> None:
    logged = run_cli(
        "track", str(predictions_file), "--project", str(project), "--name", "srv-v1",
        "--feedback", str(feedback_file), "--json",
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    document = json.loads(logged.stdout)  # nothing else on stdout (MLflow's run link is off)
    assert document["run_url"].startswith(f"{on_server.url}/#/experiments/")
    assert not (project / "mlruns").exists()  # everything went to the server

    mlflow_client = client(on_server)
    run = mlflow_client.get_run(document["run_id"])
    assert run.info.status == "FINISHED"
    experiment = mlflow_client.get_experiment(run.info.experiment_id)
    assert experiment.name == SLUG
    for outcome in document["outcomes"]:
        if outcome["value"] is not None:
            assert run.data.metrics[outcome["id"]] == pytest.approx(outcome["value"])
    assert run.data.tags["codesign.governance"] == "not run"
    assert run.data.tags["codesign.predictions_sha256"] == sha256_file(predictions_file)
    # What an MLflow user looks for: the kind tag, the dataset input, the runs table.
    assert run.data.tags["codesign.kind"] == "iteration"
    [evaluation] = run.inputs.dataset_inputs
    assert evaluation.dataset.digest == sha256_file(predictions_file)[:32]
    assert evaluation.dataset.name == predictions_file.name
    assert experiment.tags["mlflow.experimentKind"] == "custom_model_development"
    stored = list(on_server.artifacts.rglob("charter/codesign.yaml"))
    assert len(stored) == 1
    assert document["run_id"] in stored[0].parts

    text = run_cli("track", str(predictions_file), "--project", str(project), "--name", "srv-v2")
    assert text.returncode == 0, text.stderr
    assert f"in MLflow: {on_server.url}/#/experiments/" in text.stdout
    assert "View run" not in text.stdout

    compared = run_cli("compare", "--project", str(project), "--json")
    assert compared.returncode == 0, compared.stderr
    iterations = json.loads(compared.stdout)["iterations"]
    assert [it["name"] for it in iterations] == ["srv-v1", "srv-v2"]
    assert json.loads(compared.stdout)["standing"]["iteration"]["name"] == "srv-v2"
    kinds = mlflow_client.search_runs(
        [experiment.experiment_id], filter_string="tags.`codesign.kind` = 'iteration'"
    )
    assert sorted(r.info.run_name for r in kinds) == ["srv-v1", "srv-v2"]
    assert iterations[0]["outcomes"]["sens"] == {"value": 0.8, "met": True, "regression": False}
    assert [r.run_id for r in read_with_client(on_server.url, SLUG)] == [
        it["run_id"] for it in iterations
    ]


def test_mlflow_tracking_uri_is_honoured(
    server: Server,
    project: Path,
    predictions_file: Path,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("CODESIGN_TRACKING_URI", raising=False)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server.url)
    monkeypatch.setenv("MLFLOW_TRACKING_USERNAME", ADMIN)
    monkeypatch.setenv("MLFLOW_TRACKING_PASSWORD", server.password)
    logged = run_cli(
        "track", str(predictions_file), "--project", str(project), "--name", "via-mlflow-env",
        "--no-feedback", "--json",
    )  # fmt: skip
    assert logged.returncode == 0, logged.stderr
    assert not (project / "mlruns").exists()
    assert client(server).get_run(json.loads(logged.stdout)["run_id"]).info.run_name == (
        "via-mlflow-env"
    )


def test_concurrent_tracks_through_the_server_share_one_experiment(
    on_server: Server, tmp_path: Path, data_dir: Path, predictions_file: Path
) -> None:
    project = tmp_path / "fresh"
    project.mkdir()
    charter = (data_dir / "charter-tracking.yaml").read_text()
    (project / "codesign.yaml").write_text(
        charter.replace("slug: sepsis-alert", "slug: concurrent")
    )
    track_in_parallel(project, predictions_file, [f"parallel-{i}" for i in range(4)])
    mlflow_client = client(on_server)
    experiment = mlflow_client.get_experiment_by_name("concurrent")
    runs = mlflow_client.search_runs([experiment.experiment_id])
    assert sorted(r.info.run_name for r in runs) == [f"parallel-{i}" for i in range(4)]
    assert {r.info.status for r in runs} == {"FINISHED"}
    assert mlflow_client.search_runs(["0"]) == []  # nothing in the Default experiment


def test_without_credentials_the_error_is_clear_and_nothing_is_logged(
    server: Server,
    project: Path,
    predictions_file: Path,
    run_cli: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CODESIGN_TRACKING_URI", server.url)
    monkeypatch.delenv("MLFLOW_TRACKING_USERNAME", raising=False)
    monkeypatch.delenv("MLFLOW_TRACKING_PASSWORD", raising=False)
    result = run_cli("track", str(predictions_file), "--project", str(project), "--name", "anon")
    assert result.returncode == 2
    # the first call is the check that the iteration's name is not taken yet
    assert result.stderr.startswith(
        f"codesign: error: could not read iterations from the tracking store {server.url}: "
    )
    assert "401" in result.stderr
    assert "set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD" in result.stderr
    assert "Traceback" not in result.stderr
    for key, value in server.env().items():
        monkeypatch.setenv(key, value)
    mlflow_client = client(server)
    everything = [e.experiment_id for e in mlflow_client.search_experiments()]
    assert "anon" not in [r.info.run_name for r in mlflow_client.search_runs(everything)]


def test_a_failure_mid_run_on_the_server_marks_the_run_failed(
    on_server: Server, project: Path, predictions_file: Path
) -> None:
    from codesign.exceptions import TrackingError
    from codesign.tracking import IterationOptions, read_iterations, track

    mlflow_client = client(on_server)
    experiment_id = mlflow_client.create_experiment("blocked")
    # The server stores this experiment's artifacts under <destination>/<id>: a file there makes
    # every artifact upload fail on the server's side, after the run was created.
    on_server.artifacts.mkdir(parents=True, exist_ok=True)
    (on_server.artifacts / experiment_id).write_text("not a folder")
    charter = project / "codesign.yaml"
    charter.write_text(charter.read_text().replace("slug: sepsis-alert", "slug: blocked"))
    with pytest.raises(TrackingError, match="could not log the iteration to the tracking store"):
        track(predictions_file, project=project, options=IterationOptions(name="half"))
    (run,) = mlflow_client.search_runs([experiment_id])
    assert run.info.run_name == "half"
    assert run.info.status == "FAILED"
    assert read_iterations(project) == []


def test_a_database_uri_without_a_server(
    postgres_url: str,
    project: Path,
    predictions_file: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``CODESIGN_TRACKING_URI=postgresql://...`` as DESIGN.md writes it (bare scheme)."""
    from codesign.tracking import IterationOptions, compare, track

    database = _create_database(postgres_url).replace("postgresql+psycopg2://", "postgresql://")
    monkeypatch.setenv("CODESIGN_TRACKING_URI", database)
    logged = track(predictions_file, project=project, options=IterationOptions(name="db-v1"))
    (iteration,) = compare(project).iterations
    assert (iteration.run_id, iteration.name) == (logged.run_id, "db-v1")
    assert iteration.cells["sens"].value == pytest.approx(0.8)
    artifacts = project / "mlruns" / "artifacts"
    assert list(artifacts.rglob("charter/codesign.yaml"))  # the project keeps the artifacts
    assert not (project / "mlruns" / "mlflow.db").exists()
