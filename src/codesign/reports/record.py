"""Log a report run to MLflow: the notebook and its HTML, as artifacts of the project's experiment.

A report run sits in the same experiment as the model iterations, so the MLflow UI shows each
report next to the iterations it reported on. It is tagged ``codesign.kind=report``, and the
tracking layer's readers (:func:`codesign.tracking.reading.read_store`, hence ``compare``, the
reports and the portfolio) leave such runs out: a report never counts as an iteration. A report
that stopped early is logged too, with its partial notebook, and ends FAILED.

The runner calls these functions in a child process (:mod:`codesign.reports.tracker`); they work
the same in any process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from codesign.system import current_user
from codesign.tracking.store import RunContent, log_run, open_project_experiment
from codesign.tracking.tags import (
    KIND_REPORT,
    TAG_CHARTER,
    TAG_KIND,
    TAG_REPORT_STATUS,
    TAG_REPORT_STOPPED,
    TAG_VERSION,
)

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from codesign.project import Project

logger = logging.getLogger(__name__)

ARTIFACT_FOLDER: Final = "report"


@dataclass(frozen=True)
class ReportStore:
    """A project's tracking store, opened, with its experiment."""

    client: Any
    experiment_id: str
    experiment: str
    tracking_uri: str


def open_report_store(project: Project, experiment: str, tracking_uri: str) -> ReportStore:
    """Open the store and the experiment (created if needed) that report runs go to.

    Raises :class:`~codesign.exceptions.TrackingError` when the store cannot be reached.
    """
    client, experiment_id = open_project_experiment(project, experiment, tracking_uri)
    return ReportStore(client, experiment_id, experiment, tracking_uri)


def log_report_run(
    store: ReportStore,
    *,
    name: str,
    files: tuple[Path, ...],
    charter_sha256: str,
    started_at: dt.datetime,
    failure: str | None,
) -> str:
    """Log one report run with ``files`` under ``report/``; returns the run's id."""
    from codesign import __version__

    user = current_user()
    note = f"**codesign report** of {started_at:%Y-%m-%d %H:%M} UTC: " + (
        "complete." if failure is None else f"incomplete, {failure}."
    )
    tags = {
        TAG_KIND: KIND_REPORT,
        TAG_REPORT_STATUS: "ok" if failure is None else "failed",
        TAG_CHARTER: charter_sha256,
        TAG_VERSION: __version__,
        "mlflow.user": user,
        "mlflow.source.name": "codesign report run",
        "mlflow.source.type": "LOCAL",
        "mlflow.note.content": note,
    }
    if failure is not None:
        tags[TAG_REPORT_STOPPED] = failure[:500]
    content = RunContent(
        name=name,
        tags=tags,
        files=dict.fromkeys(files, ARTIFACT_FOLDER),
        status="FINISHED" if failure is None else "FAILED",
    )
    run_id = log_run(store.client, store.experiment_id, content, tracking_uri=store.tracking_uri)
    logger.info("logged report %s as run %s of %s", name, run_id, store.experiment)
    return run_id
