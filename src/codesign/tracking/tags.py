"""The run-tag vocabulary: what codesign writes on an MLflow run, and reads back.

The writer (:mod:`~codesign.tracking.store`, :mod:`~codesign.tracking.iteration`, the report
logger) and the readers (:mod:`~codesign.tracking.reading`, the portfolio) share these names;
they live here, below both, so that neither imports the other for them. An MLflow user finds the
same names in the UI and in ``search_runs`` filters (``tags.`codesign.kind` = 'report'``).
"""

from __future__ import annotations

from typing import Final

TAG_PREFIX: Final = "codesign."
TAG_CHARTER: Final = "codesign.charter_sha256"
TAG_GOVERNANCE: Final = "codesign.governance"
TAG_PREDICTIONS: Final = "codesign.predictions_sha256"
TAG_DATA: Final = "codesign.data_sha256"
TAG_AUTHOR: Final = "codesign.author"
TAG_VERDICT: Final = "codesign.verdict."
TAG_TARGET: Final = "codesign.target."
TAG_VERSION: Final = "codesign.version"
"""The codesign version that logged the run."""
TAG_PREDICTIONS_SOURCE: Final = "codesign.predictions_source"
TAG_FEEDBACK: Final = "codesign.feedback_sha256"
TAG_REPORT_STATUS: Final = "codesign.report.status"
TAG_REPORT_STOPPED: Final = "codesign.report.stopped"
TAG_KIND: Final = "codesign.kind"
"""What a run of the project's experiment is; iterations have none or ``iteration``."""
KIND_REPORT: Final = "report"
"""``codesign.kind`` of the runs ``codesign report run`` logs: never an iteration."""
FINISHED: Final = "FINISHED"

# Run parameters (MLflow params, not tags): what an iteration was measured on, in counts.
PARAM_ROWS: Final = "codesign.rows"
PARAM_FEEDBACK_RECORDS: Final = "codesign.feedback_records"
PARAM_COLUMNS: Final = "codesign.columns"
