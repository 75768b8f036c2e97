"""The MLflow side: URIs in messages and links, the reachability probe, a raced dataset insert."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from tests.conftest import free_port

from codesign.exceptions import TrackingError
from codesign.tracking.store import RunContent, database_driver, log_run, probe, redact, run_url


def test_passwords_never_reach_messages_or_links() -> None:
    uri = "postgresql://mlflow:s3cret@db.example:5432/tracking"
    assert redact(uri) == "postgresql://mlflow:***@db.example:5432/tracking"
    assert redact("http://127.0.0.1:5000") == "http://127.0.0.1:5000"
    assert run_url("https://bob:pw@mlflow.example/", "3", "abc") == (
        "https://mlflow.example/#/experiments/3/runs/abc"
    )
    assert run_url("sqlite:////tmp/mlflow.db", "3", "abc") is None


def test_bare_postgresql_uris_use_the_installed_driver() -> None:
    assert database_driver("postgresql://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert database_driver("postgres://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert database_driver("postgresql+psycopg2://u@h/db") == "postgresql+psycopg2://u@h/db"
    assert database_driver("http://127.0.0.1:5000") == "http://127.0.0.1:5000"


@pytest.fixture
def plain_http_port() -> Iterator[int]:
    """A local HTTP server answering 404 to everything."""
    server = http.server.HTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


def test_probe_accepts_any_http_answer(plain_http_port: int) -> None:
    probe(f"http://127.0.0.1:{plain_http_port}")  # 501/404: a server is there
    # TLS problems are MLflow's to judge (it may be configured with its own certificates)
    probe(f"https://127.0.0.1:{plain_http_port}")


def test_probe_refuses_a_closed_port() -> None:
    port = free_port()
    with pytest.raises(
        TrackingError, match=rf"cannot reach the tracking server http://127\.0\.0\.1:{port} \("
    ):
        probe(f"http://127.0.0.1:{port}")


class _RacingClient:
    """A stand-in for ``MlflowClient`` whose first dataset inserts hit a concurrent insert."""

    def __init__(self, failures: int, message: str) -> None:
        self.failures = failures
        self.message = message
        self.attempts = 0
        self.status: str | None = None

    def create_run(self, *_: object, **__: object) -> object:
        from types import SimpleNamespace

        return SimpleNamespace(info=SimpleNamespace(run_id="r1"))

    def log_batch(self, *_: object, **__: object) -> None:
        pass

    def log_inputs(self, *_: object, **__: object) -> None:
        from mlflow.exceptions import MlflowException

        self.attempts += 1
        if self.attempts <= self.failures:
            raise MlflowException(self.message)

    def set_terminated(self, _run_id: str, status: str) -> None:
        self.status = status


def _content() -> RunContent:
    from codesign.tracking.datasets import gated_dataset

    return RunContent(name="it-1", inputs=(gated_dataset("data.csv", "ab" * 32),))


def test_a_dataset_raced_by_a_concurrent_iteration_is_retried() -> None:
    duplicate = 'duplicate key value violates unique constraint "dataset_pk"'
    client = _RacingClient(failures=2, message=duplicate)
    assert log_run(client, "0", _content(), tracking_uri="http://x") == "r1"
    assert (client.attempts, client.status) == (3, "FINISHED")


def test_another_dataset_error_is_not_retried_and_the_run_is_marked_failed() -> None:
    client = _RacingClient(failures=1, message="RESOURCE_DOES_NOT_EXIST: no such run")
    with pytest.raises(TrackingError, match="no such run"):
        log_run(client, "0", _content(), tracking_uri="http://x")
    assert (client.attempts, client.status) == (1, "FAILED")
