"""Writing to MLflow: the client, the project's experiment, and one run per iteration.

Everything MLflow-specific on the write side lives here, behind three functions:
:func:`connect` (a client that fails fast), :func:`open_experiment` (created once, up front,
so concurrent iterations never race into MLflow's Default experiment) and :func:`log_run`
(one run, finished or marked failed, never left running).

MLflow's own HTTP client retries an unreachable server for minutes (7 retries with exponential
backoff, a 120 s timeout). An iteration logged from a notebook or a CI job should say at once
that the server is down, so :data:`MLFLOW_DEFAULTS` shortens that, unless the operator has set
those variables; an ``http(s)://`` store is also probed before anything is written.
"""

from __future__ import annotations

import contextlib
import logging
import os
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from codesign.config import ENV_ARTIFACT_ROOT, quiet_telemetry
from codesign.exceptions import TrackingError
from codesign.fileio import folder_lock
from codesign.system import os_reason
from codesign.tracking.tags import FINISHED

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    from codesign.project import Project
    from codesign.tracking.datasets import DatasetRecord

logger = logging.getLogger(__name__)

MLFLOW_DEFAULTS: Final[Mapping[str, str]] = {
    "MLFLOW_HTTP_REQUEST_MAX_RETRIES": "2",
    "MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR": "1",
    "MLFLOW_HTTP_REQUEST_BACKOFF_JITTER": "0.5",
    "MLFLOW_HTTP_REQUEST_TIMEOUT": "20",
    # MLflow writes "View run ... at: URL" to stdout after each run on a server, which would
    # break `--json` (one document on stdout); the result carries the URL instead.
    "MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT": "true",
}
"""MLflow settings unless set in the environment: about 3 s to give up on a dead server."""

PROBE_TIMEOUT_S: Final = 5.0

EXPERIMENT_TAGS: Final[Mapping[str, str]] = {"mlflow.experimentKind": "custom_model_development"}
"""MLflow 3's UI opens an experiment on its GenAI overview unless told it holds model runs:
with this tag, the experiment opens on its runs table, where the iterations are."""


def redact(uri: str) -> str:
    """The URI without its password, for messages (``postgresql://u:***@host/db``)."""
    parts = urllib.parse.urlsplit(uri)
    if parts.password is None:
        return uri
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    netloc = f"{parts.username or ''}:***@{host}"
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


def connect(tracking_uri: str) -> Any:
    """An ``MlflowClient`` for ``tracking_uri``; an unreachable server is a :class:`TrackingError`.

    Telemetry and pickle loading are switched off before MLflow is imported. The client opens
    its store at once (for a new embedded store, MLflow creates its tables then): callers that
    may run concurrently on one embedded store use :func:`open_experiment`, which holds a lock.
    """
    quiet_telemetry()
    for key, value in MLFLOW_DEFAULTS.items():
        os.environ.setdefault(key, value)
    if tracking_uri.startswith(("http://", "https://")):
        probe(tracking_uri)
    from mlflow import MlflowClient

    with translate_errors(tracking_uri, "open"):
        return MlflowClient(tracking_uri=database_driver(tracking_uri))


def database_driver(tracking_uri: str) -> str:
    """A ``postgresql://`` URI with the driver codesign installs (psycopg2) made explicit.

    SQLAlchemy 2.1 reads a bare ``postgresql://`` as psycopg 3, which codesign does not depend
    on; ``postgresql+psycopg2://`` is the same database through the driver that is there.
    """
    scheme, sep, rest = tracking_uri.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg2://{rest}"
    return tracking_uri


def probe(tracking_uri: str, timeout: float = PROBE_TIMEOUT_S) -> None:
    """Check that a tracking server answers at all, before anything is logged to it.

    Any HTTP answer (even 401 or 404) means the server is there; only a connection that cannot
    be made is an error here.
    """
    url = tracking_uri.rstrip("/") + "/health"
    try:
        with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310 - http(s) only, checked above
            return
    except urllib.error.HTTPError:
        return
    except (urllib.error.URLError, OSError, ValueError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, ssl.SSLError):
            return  # TLS set up for MLflow (MLFLOW_TRACKING_SERVER_CERT_PATH...): let it decide
        msg = (
            f"cannot reach the tracking server {redact(tracking_uri)} ({reason}); start it or fix "
            f"CODESIGN_TRACKING_URI. Nothing was logged."
        )
        raise TrackingError(msg) from e


@contextlib.contextmanager
def translate_errors(tracking_uri: str, action: str) -> Iterator[None]:
    """Turn MLflow, HTTP and database errors into a :class:`TrackingError` naming the store."""
    from mlflow.exceptions import MlflowException
    from sqlalchemy.exc import SQLAlchemyError

    try:
        yield
    except TrackingError:
        raise
    except (MlflowException, SQLAlchemyError) as e:
        msg = f"could not {action} the tracking store {redact(tracking_uri)}: {_summary(e)}"
        raise TrackingError(msg) from e
    except (OSError, ConnectionError) as e:
        msg = f"could not {action} the tracking store {redact(tracking_uri)}: {type(e).__name__}"
        raise TrackingError(msg) from e


def _summary(error: Exception) -> str:
    text = getattr(error, "message", None) or str(error)
    first = str(text).strip().splitlines()[0] if str(text).strip() else type(error).__name__
    if "401" in first or "Unauthorized" in first or "not authenticated" in first.lower():
        first += " (set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)"
    return first[:400]


def open_experiment(
    tracking_uri: str,
    name: str,
    *,
    artifact_location: str | None = None,
    lock_folder: Path | None = None,
) -> tuple[Any, str]:
    """A client and the id of the experiment called ``name``, created if it does not exist yet.

    For an embedded store, ``lock_folder`` (the database's folder) is held while the store is
    opened (MLflow creates and migrates its tables on first use) and the experiment is looked up
    or created, so the first iterations of a project started at once neither race on the schema
    nor into MLflow's Default experiment. Against a server, a concurrent creation is detected by
    its ``RESOURCE_ALREADY_EXISTS`` answer and the existing experiment is used.
    """
    lock = folder_lock(lock_folder) if lock_folder is not None else contextlib.nullcontext()
    with lock:
        client = connect(tracking_uri)
        with translate_errors(tracking_uri, "set up the experiment in"):
            return client, _get_or_create(client, name, tracking_uri, artifact_location)


def open_project_experiment(
    project: Project, experiment: str, tracking_uri: str
) -> tuple[Any, str]:
    """:func:`open_experiment` for a project: its artifact folder, its embedded store's lock.

    Iterations and report runs of a project go through here, so both land in the same
    experiment with their artifacts in the same place.
    """
    return open_experiment(
        tracking_uri,
        experiment,
        artifact_location=artifact_location(project, tracking_uri),
        lock_folder=lock_folder(tracking_uri),
    )


def artifact_location(project: Project, tracking_uri: str) -> str | None:
    """Where a new experiment keeps artifacts; ``None`` lets a tracking server decide."""
    if tracking_uri.startswith(("http://", "https://", "databricks")):
        return None
    configured = os.environ.get(ENV_ARTIFACT_ROOT, "").strip()
    if configured:
        return configured
    root = project.artifact_root()
    root.mkdir(parents=True, exist_ok=True)
    return root.as_uri()


def lock_folder(tracking_uri: str) -> Path | None:
    """For an embedded store, the folder of its database (created if needed), else ``None``."""
    path = sqlite_path(tracking_uri)
    if path is None:
        return None
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        msg = f"{folder}: cannot create the tracking store folder ({os_reason(e)})"
        raise TrackingError(msg) from e
    return folder


def _get_or_create(client: Any, name: str, tracking_uri: str, artifact_location: str | None) -> str:
    from mlflow.exceptions import MlflowException

    experiment = client.get_experiment_by_name(name)
    if experiment is None:
        try:
            experiment_id: str = client.create_experiment(
                name, artifact_location=artifact_location, tags=dict(EXPERIMENT_TAGS)
            )
            logger.info("created experiment %s in %s", name, redact(tracking_uri))
            return experiment_id
        except MlflowException as e:
            if e.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
            experiment = client.get_experiment_by_name(name)
            if experiment is None:
                raise
    if experiment.lifecycle_stage != "active":
        msg = (
            f"experiment {name!r} was deleted in {redact(tracking_uri)}; restore it with "
            f"`mlflow experiments restore --experiment-id {experiment.experiment_id}` "
            "or give the project another slug"
        )
        raise TrackingError(msg)
    found: str = experiment.experiment_id
    for key, value in EXPERIMENT_TAGS.items():
        if key not in experiment.tags:  # made before codesign set it; a user's choice stays
            client.set_experiment_tag(found, key, value)
    return found


@dataclass(frozen=True)
class RunContent:
    """What one iteration's run holds: its name, metrics, params, tags and text artifacts."""

    name: str
    metrics: Mapping[str, float] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    artifacts: Mapping[str, str] = field(default_factory=dict)
    """Artifact path in the run → text content."""
    files: Mapping[Path, str] = field(default_factory=dict)
    """A file to copy into the run → the artifact folder it goes in (a report's notebook)."""
    inputs: tuple[DatasetRecord, ...] = ()
    """Dataset inputs (the evaluation data): name, digest, schema; never a value."""
    status: str = FINISHED
    """How the run ends once everything is logged: ``FINISHED``, or ``FAILED`` for a run that
    records a failure (a report that stopped early)."""


def log_run(client: Any, experiment_id: str, content: RunContent, *, tracking_uri: str) -> str:
    """Log one run and return its id.

    The run ends with ``content.status`` (FINISHED) only once everything is logged. If anything
    fails (or the user interrupts) after the run was created, it is marked FAILED before the
    error propagates, so a half-logged iteration is never mistaken for a finished one.
    """
    from mlflow.entities import Metric, Param

    with translate_errors(tracking_uri, "start a run in"):
        # Tags go with the creation: a run is never seen without its charter hash and verdicts.
        run = client.create_run(experiment_id, run_name=content.name, tags=dict(content.tags))
    run_id: str = run.info.run_id
    now = int(time.time() * 1000)
    try:
        with translate_errors(tracking_uri, "log the iteration to"):
            client.log_batch(
                run_id,
                metrics=[Metric(k, v, now, 0) for k, v in content.metrics.items()],
                params=[Param(k, v) for k, v in content.params.items()],
            )
            if content.inputs:
                _log_inputs(client, run_id, content.inputs)
            for path, text in content.artifacts.items():
                client.log_text(run_id, text, path)
            for file, folder in content.files.items():
                client.log_artifact(run_id, str(file), folder)
            client.set_terminated(run_id, content.status)
    except BaseException:
        _mark_failed(client, run_id)
        raise
    return run_id


INPUT_ATTEMPTS: Final = 4
_DUPLICATE_MARKERS: Final = ("duplicate key", "unique constraint", "integrityerror")


def _log_inputs(client: Any, run_id: str, inputs: tuple[DatasetRecord, ...]) -> None:
    """Log the dataset inputs, retrying when a concurrent iteration created the same dataset.

    MLflow's SQL store looks a dataset up by (experiment, name, digest) and inserts it when it
    is missing, in one transaction; two iterations of one team tracked at the same moment on
    the same data both miss it and one insert hits the unique key. The transaction is rolled
    back whole, and on the next attempt the dataset exists and is reused, so retrying is safe.
    Any other error is raised at once.
    """
    from mlflow.exceptions import MlflowException
    from sqlalchemy.exc import IntegrityError

    datasets = [d.to_mlflow() for d in inputs]
    for attempt in range(1, INPUT_ATTEMPTS + 1):
        try:
            client.log_inputs(run_id, datasets=datasets)
            return
        except (MlflowException, IntegrityError) as e:
            if attempt == INPUT_ATTEMPTS or not _is_duplicate(e):
                raise
            logger.debug("dataset input raced a concurrent iteration; attempt %d", attempt + 1)
            time.sleep(0.05 * attempt)


def _is_duplicate(error: Exception) -> bool:
    text = str(getattr(error, "message", None) or error).lower()
    return any(marker in text for marker in _DUPLICATE_MARKERS)


def _mark_failed(client: Any, run_id: str) -> None:
    try:
        client.set_terminated(run_id, "FAILED")
    except Exception as e:  # the store is gone: say so, keep the original error
        logger.warning(
            "run %s could not be marked FAILED (%s); it may show as RUNNING",
            run_id,
            type(e).__name__,
        )
    else:
        logger.warning("run %s marked FAILED: the iteration was not fully logged", run_id)


def run_url(tracking_uri: str, experiment_id: str, run_id: str) -> str | None:
    """The run's page in the MLflow UI of a tracking server (``None`` for other stores)."""
    base = ui_base(tracking_uri)
    return None if base is None else f"{base}/#/experiments/{experiment_id}/runs/{run_id}"


def runs_url(base: str, experiment_id: str) -> str:
    """The experiment's runs table in the MLflow UI at ``base`` (not MLflow 3's overview)."""
    return f"{base.rstrip('/')}/#/experiments/{experiment_id}/runs"


def ui_base(tracking_uri: str) -> str | None:
    """The UI address of a tracking server, without credentials; ``None`` for other stores."""
    if not tracking_uri.startswith(("http://", "https://")):
        return None
    parts = urllib.parse.urlsplit(redact(tracking_uri))
    netloc = parts.netloc.rsplit("@", 1)[-1]  # never a user name or password in a link
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)).rstrip("/")


def sqlite_path(tracking_uri: str) -> Path | None:
    """The database file of a ``sqlite:///PATH`` URI (SQLAlchemy's form), else ``None``."""
    prefix = "sqlite:///"
    if not tracking_uri.startswith(prefix):
        return None
    path = tracking_uri[len(prefix) :].split("?", 1)[0]
    if not path or path == ":memory:":
        return None
    return Path(path)
