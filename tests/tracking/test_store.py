"""The MLflow side: URIs in messages and links, the reachability probe."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator

import pytest
from tests.conftest import free_port

from codesign.exceptions import TrackingError
from codesign.tracking.store import database_driver, probe, redact, run_url


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
