"""Read a project's logged iterations: one read path, fast on the embedded store.

``compare``, reports and the portfolio read iterations through :func:`read_iterations`. It
returns the same :class:`IterationRecord` objects from either of two paths:

* the embedded SQLite store (``sqlite:///<project>/mlruns/mlflow.db``): MLflow's tables are read
  directly, read-only, with the standard library's :mod:`sqlite3`. No MLflow import, no schema
  check, no migration: a few milliseconds per project, which is what lets a portfolio of 300
  projects open 300 stores;
* any other store (a tracking server, a database URI): the MLflow client's ``search_runs``.

Only finished, active runs count as iterations: a failed or running run never shows up in a
comparison, and neither does a report run (tagged ``codesign.kind=report``), which the report
runner logs to the same experiment to keep each report's notebook and HTML. The tables read
(``experiments``, ``runs``, ``tags``, ``latest_metrics``) have kept their columns across MLflow
releases; a test checks that both paths agree.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from codesign.exceptions import TrackingError
from codesign.i18n import _
from codesign.project import Project
from codesign.timeutil import from_epoch_ms
from codesign.tracking.store import connect, sqlite_path, translate_errors
from codesign.tracking.tags import (
    FINISHED,
    KIND_REPORT,
    TAG_AUTHOR,
    TAG_CHARTER,
    TAG_GOVERNANCE,
    TAG_KIND,
    TAG_PREDICTIONS,
    TAG_PREFIX,
    TAG_TARGET,
    TAG_VERDICT,
)

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator, Mapping
    from pathlib import Path

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class IterationRecord:
    """One logged iteration as the tracking store holds it."""

    run_id: str
    name: str
    started_at: dt.datetime
    """When the run started (UTC)."""
    metrics: Mapping[str, float] = field(default_factory=dict)
    """Every logged metric: outcome ids, and the panel under ``all/``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """The ``codesign.*`` tags."""

    @property
    def charter_sha256(self) -> str | None:
        return self.tags.get(TAG_CHARTER)

    @property
    def governance(self) -> str | None:
        return self.tags.get(TAG_GOVERNANCE)

    @property
    def predictions_sha256(self) -> str | None:
        return self.tags.get(TAG_PREDICTIONS)

    @property
    def author(self) -> str | None:
        return self.tags.get(TAG_AUTHOR)

    def value(self, outcome_id: str) -> float | None:
        """The logged value of an outcome, ``None`` when it was not measured."""
        return self.metrics.get(outcome_id)

    def verdict(self, outcome_id: str) -> str | None:
        """The verdict logged with the run (against the charter of that time)."""
        return self.tags.get(TAG_VERDICT + outcome_id)

    def target(self, outcome_id: str) -> str | None:
        """The target the outcome had when the run was logged."""
        return self.tags.get(TAG_TARGET + outcome_id)


def read_iterations(
    project: Project | Path | str | None = None,
    *,
    tracking_uri: str | None = None,
    experiment: str | None = None,
) -> list[IterationRecord]:
    """The project's finished iterations, oldest first; ``[]`` when none was logged yet.

    ``experiment`` defaults to the project's slug (read from its charter; a caller that has
    already loaded the charter passes it to save a second parse), ``tracking_uri`` to the
    project's store (:meth:`codesign.project.Project.tracking_uri`).
    """
    where = project if isinstance(project, Project) else Project.at(project)
    return read_store(where.tracking_uri(tracking_uri), experiment or where.slug)


def read_store(tracking_uri: str, experiment: str) -> list[IterationRecord]:
    """Finished iterations of ``experiment`` in a store, oldest first."""
    path = sqlite_path(tracking_uri)
    if path is not None:
        return read_sqlite(path, experiment)
    return read_with_client(tracking_uri, experiment)


# --- the embedded store, with sqlite3 ----------------------------------------------------------


def read_sqlite(path: Path, experiment: str) -> list[IterationRecord]:
    """Read MLflow's tables in an embedded store, read-only."""
    if not path.is_file():
        return []
    try:
        with _connect_read_only(path) as db:
            experiment_id = _experiment_id(db, experiment)
            if experiment_id is None:
                return []
            return _runs(db, experiment_id)
    except sqlite3.DatabaseError as e:
        if "no such table" in str(e):
            return []  # created but not initialised yet: no iteration
        msg = _(
            "{path}: cannot read the tracking store ({error}); is it an MLflow database?",
            path=path,
            error=e,
        )
        raise TrackingError(msg) from e


@contextlib.contextmanager
def _connect_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    try:
        yield db
    finally:
        db.close()


def _experiment_id(db: sqlite3.Connection, name: str) -> int | None:
    columns = {row[1] for row in db.execute("PRAGMA table_info(experiments)")}
    query = "SELECT experiment_id FROM experiments WHERE name = ? AND lifecycle_stage = 'active'"
    if "workspace" in columns:  # MLflow workspaces: codesign uses the default one
        query += " AND workspace = 'default'"
    row = db.execute(query, (name,)).fetchone()
    return None if row is None else int(row[0])


_RUNS: Final = """
    SELECT run_uuid, name, start_time FROM runs
    WHERE experiment_id = ? AND lifecycle_stage = 'active' AND status = 'FINISHED'
    ORDER BY start_time, run_uuid
"""
_TAGS: Final = """
    SELECT t.run_uuid, t.key, t.value FROM tags t JOIN runs r ON r.run_uuid = t.run_uuid
    WHERE r.experiment_id = ? AND r.lifecycle_stage = 'active' AND r.status = 'FINISHED'
      AND t.key LIKE 'codesign.%'
"""
_METRICS: Final = """
    SELECT m.run_uuid, m.key, m.value, m.is_nan FROM latest_metrics m
    JOIN runs r ON r.run_uuid = m.run_uuid
    WHERE r.experiment_id = ? AND r.lifecycle_stage = 'active' AND r.status = 'FINISHED'
"""


def _runs(db: sqlite3.Connection, experiment_id: int) -> list[IterationRecord]:
    tags: dict[str, dict[str, str]] = {}
    for run_id, key, value in db.execute(_TAGS, (experiment_id,)):
        tags.setdefault(run_id, {})[key] = value
    metrics: dict[str, dict[str, float]] = {}
    for run_id, key, value, is_nan in db.execute(_METRICS, (experiment_id,)):
        metrics.setdefault(run_id, {})[key] = float("nan") if is_nan else float(value)
    return [
        IterationRecord(
            run_id=run_id,
            name=name or run_id,
            started_at=from_epoch_ms(start_time),
            metrics=metrics.get(run_id, {}),
            tags=tags.get(run_id, {}),
        )
        for run_id, name, start_time in db.execute(_RUNS, (experiment_id,))
        if not is_report_run(tags.get(run_id, {}))
    ]


def is_report_run(tags: Mapping[str, str]) -> bool:
    """Whether a run with these tags is a report run rather than a model iteration."""
    return tags.get(TAG_KIND) == KIND_REPORT


# --- any other store, with the MLflow client ---------------------------------------------------


def read_with_client(tracking_uri: str, experiment: str) -> list[IterationRecord]:
    """Read through MLflow's client (a tracking server, a database URI)."""
    client = connect(tracking_uri)
    with translate_errors(tracking_uri, "read iterations from"):
        found = client.get_experiment_by_name(experiment)
        if found is None or found.lifecycle_stage != "active":
            return []
        runs = list(_search(client, found.experiment_id))
    records = [_record(run) for run in runs if not is_report_run(run.data.tags)]
    records.sort(key=lambda r: (r.started_at, r.run_id))
    return records


def _search(client: Any, experiment_id: str) -> Iterable[Any]:
    from mlflow.entities import ViewType

    token = None
    while True:
        page = client.search_runs(
            [experiment_id],
            filter_string=f"attributes.status = '{FINISHED}'",
            run_view_type=ViewType.ACTIVE_ONLY,
            max_results=1000,
            order_by=["attributes.start_time ASC"],
            page_token=token,
        )
        yield from page
        token = page.token
        if not token:
            return


def _record(run: Any) -> IterationRecord:
    return IterationRecord(
        run_id=run.info.run_id,
        name=run.info.run_name or run.info.run_id,
        started_at=from_epoch_ms(run.info.start_time),
        metrics={k: float(v) for k, v in run.data.metrics.items()},
        tags={k: v for k, v in run.data.tags.items() if k.startswith(TAG_PREFIX)},
    )
