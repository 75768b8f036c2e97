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

from typing import TYPE_CHECKING

from codesign._lazy import attach

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
    "Comparison": "codesign.tracking.comparison",
    "compare": "codesign.tracking.comparison",
    "Evaluation": "codesign.tracking.evaluation",
    "OutcomeResult": "codesign.tracking.evaluation",
    "evaluate": "codesign.tracking.evaluation",
    "IterationOptions": "codesign.tracking.iteration",
    "IterationResult": "codesign.tracking.iteration",
    "log_iteration": "codesign.tracking.iteration",
    "track": "codesign.tracking.iteration",
    "track_model": "codesign.tracking.iteration",
    "EvaluationData": "codesign.tracking.metrics",
    "Metric": "codesign.tracking.metrics",
    "ModelInputs": "codesign.tracking.predictions",
    "Predictions": "codesign.tracking.predictions",
    "predictions_from_frame": "codesign.tracking.predictions",
    "predictions_from_model": "codesign.tracking.predictions",
    "read_predictions": "codesign.tracking.predictions",
    "IterationRecord": "codesign.tracking.reading",
    "read_iterations": "codesign.tracking.reading",
}

__getattr__, __dir__ = attach(__name__, _LAZY, __all__)
