"""The data an iteration was measured on, as MLflow dataset inputs: name, digest, schema.

An MLflow user opening a run expects its evaluation data under "Datasets used", not in a
codesign tag. Each iteration logs:

* the evaluation set (context ``evaluation``): the predictions' file name, a digest of their
  bytes, the schema (the columns read and their MLflow types) and the row count;
* the data the gate checked, when ``--data`` names another file (context ``governance``): its
  file name and digest only.

The digest is the first :data:`DIGEST_LENGTH` hex characters of the SHA-256 of the data
(MLflow's store keeps at most 36 characters); the full hash stays in the ``codesign.*`` tags.
Never a value: the schema holds column names and types, the profile a row count.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from collections.abc import Mapping

    from codesign.tracking.predictions import Predictions

DIGEST_LENGTH: Final = 32
CONTEXT_TAG: Final = "mlflow.data.context"
"""MLflow's input tag saying what a dataset was used for (training, evaluation...)."""
EVALUATION: Final = "evaluation"
GOVERNANCE: Final = "governance"

_MLFLOW_TYPES: Final[Mapping[str, str]] = {
    "y_true": "integer",
    "y_score": "double",
    "y_pred": "integer",
    "level_true": "integer",
    "level_pred": "integer",
}
"""MLflow column types of the prediction columns; subgroup columns are read as strings."""


@dataclass(frozen=True)
class DatasetRecord:
    """One dataset input of a run, as MLflow keeps it (no value, ever)."""

    name: str
    sha256: str
    context: str
    columns: Mapping[str, str] = field(default_factory=dict)
    """Column name → MLflow type (``integer``, ``double``, ``string``)."""
    rows: int | None = None

    @property
    def digest(self) -> str:
        return self.sha256[:DIGEST_LENGTH]

    def schema_json(self) -> str | None:
        """MLflow's ColSpec schema JSON (``{"mlflow_colspec": [...]}``); ``None`` if no column."""
        if not self.columns:
            return None
        specs = [
            {"type": kind, "name": name, "required": True} for name, kind in self.columns.items()
        ]
        return json.dumps({"mlflow_colspec": specs})

    def to_mlflow(self) -> Any:
        """An ``mlflow.entities.DatasetInput`` for ``MlflowClient.log_inputs``."""
        from mlflow.entities import Dataset, DatasetInput, InputTag

        dataset = Dataset(
            name=self.name,
            digest=self.digest,
            source_type="local",
            source=json.dumps({"uri": self.name}),
            schema=self.schema_json(),
            profile=None if self.rows is None else json.dumps({"num_rows": self.rows}),
        )
        return DatasetInput(dataset, tags=[InputTag(CONTEXT_TAG, self.context)])


def evaluation_dataset(predictions: Predictions) -> DatasetRecord:
    """The evaluation set of an iteration: its columns and types, its digest, its size."""
    columns = {name: _MLFLOW_TYPES.get(name, "string") for name in predictions.columns}
    return DatasetRecord(
        name=predictions.source,
        sha256=predictions.sha256,
        context=EVALUATION,
        columns=columns,
        rows=predictions.rows,
    )


def gated_dataset(name: str, sha256: str) -> DatasetRecord:
    """The data file the gate checked (``--data``), by name and digest only."""
    return DatasetRecord(name=name, sha256=sha256, context=GOVERNANCE)
