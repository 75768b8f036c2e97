"""Iteration tracking: every model iteration measured against the charter, in MLflow.

In a notebook::

    from codesign.tracking import IterationOptions, compare, track, track_model

    track("predictions-v2.csv", project="..")                    # a vendor's predictions file
    track_model(model, evaluation_frame, project="..",            # a fitted scikit-learn model
                options=IterationOptions(name="gbm-v3"))
    compare("..")                                                 # iterations x outcomes

The names are loaded on first use, so importing this package costs nothing until a name is
used, and reading iterations (:func:`read_iterations`) never imports MLflow for the embedded
store.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codesign.tracking.comparison import Comparison, compare
    from codesign.tracking.evaluation import Evaluation, OutcomeResult, evaluate
    from codesign.tracking.iteration import (
        IterationOptions,
        IterationResult,
        log_iteration,
        track,
        track_model,
    )
    from codesign.tracking.metrics import EvaluationData, Metric
    from codesign.tracking.predictions import (
        ModelInputs,
        Predictions,
        predictions_from_frame,
        predictions_from_model,
        read_predictions,
    )
    from codesign.tracking.reading import IterationRecord, read_iterations

__all__ = [
    "Comparison",
    "Evaluation",
    "EvaluationData",
    "IterationOptions",
    "IterationRecord",
    "IterationResult",
    "Metric",
    "ModelInputs",
    "OutcomeResult",
    "Predictions",
    "compare",
    "evaluate",
    "log_iteration",
    "predictions_from_frame",
    "predictions_from_model",
    "read_iterations",
    "read_predictions",
    "track",
    "track_model",
]

_LAZY = {
    "Comparison": "comparison",
    "compare": "comparison",
    "Evaluation": "evaluation",
    "OutcomeResult": "evaluation",
    "evaluate": "evaluation",
    "IterationOptions": "iteration",
    "IterationResult": "iteration",
    "log_iteration": "iteration",
    "track": "iteration",
    "track_model": "iteration",
    "EvaluationData": "metrics",
    "Metric": "metrics",
    "ModelInputs": "predictions",
    "Predictions": "predictions",
    "predictions_from_frame": "predictions",
    "predictions_from_model": "predictions",
    "read_predictions": "predictions",
    "IterationRecord": "reading",
    "read_iterations": "reading",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'codesign.tracking' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"codesign.tracking.{module}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
