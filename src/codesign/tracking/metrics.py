"""How each metric of the registry is computed (``codesign.charter.registry.REGISTRY``).

The charter layer names every metric and explains it; this module measures it. A metric is a
subclass of :class:`Metric` with one method to implement, :meth:`Metric.compute`, which returns
the value or ``None`` when the data to measure it was not given (an outcome "not measured", never
a crash). Two optional hooks make the "not measured" verdict say why: :meth:`Metric.requires`
(the prediction columns needed) and :meth:`Metric.unavailable` (a plain reason).

Binary metrics use scikit-learn; ``subgroup_gap`` uses fairlearn's ``MetricFrame``. Both are
imported when a value is computed, not when this module is imported.

Which decision a binary metric judges, for an outcome with ``params``:

* ``levels: [1, 2]`` → on triage levels: a case is positive when its ``level_true`` is one of
  the levels, flagged when its ``level_pred`` is (score-based metrics use ``y_score``);
* ``threshold`` written in the charter → ``y_score >= threshold`` (the clinicians chose the
  operating point, so a vendor's own ``y_pred`` is not used);
* otherwise → ``y_pred`` when given, else ``y_score >= 0.5``.
"""

from __future__ import annotations

import logging
import math
import statistics
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Final, Literal, TypeVar

import numpy as np

from codesign.charter.feedback import FeedbackKind
from codesign.charter.registry import (
    REGISTRY,
    BinaryParams,
    CalibrationParams,
    MetricKind,
    SubgroupParams,
)
from codesign.tracking.predictions import LEVEL_PRED, LEVEL_TRUE, Y_PRED, Y_SCORE, Y_TRUE

if TYPE_CHECKING:
    from collections.abc import Callable

    from numpy.typing import NDArray

    from codesign.charter.feedback import FeedbackRecord
    from codesign.charter.registry import MetricParams, MetricSpec
    from codesign.tracking.predictions import Predictions

logger = logging.getLogger(__name__)

Requirement = frozenset[str]
"""A set of alternative columns: at least one of them must be present."""


@dataclass(frozen=True)
class EvaluationData:
    """Everything an iteration is measured on: its predictions and the clinicians' feedback."""

    predictions: Predictions | None = None
    feedback: tuple[FeedbackRecord, ...] = ()


class Metric(ABC):
    """Base class of every metric: implement :meth:`compute`.

    Instances are stateless; the evaluator creates one per use with no arguments.
    """

    @abstractmethod
    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        """The metric's value on ``data``, or ``None`` when the data to measure it is absent."""

    def requires(self, params: MetricParams) -> tuple[Requirement, ...]:
        """Prediction columns needed, each entry a set of alternatives (default: none)."""
        del params
        return ()

    def unavailable(self, data: EvaluationData, params: MetricParams) -> str:
        """Why :meth:`compute` returned ``None``, in a few plain words."""
        missing = missing_columns(self.requires(params), data.predictions)
        if missing:
            return "needs " + "; ".join(missing)
        return "the data to measure it was not given"


_IMPLEMENTATIONS: dict[str, type[Metric]] = {}

_M = TypeVar("_M", bound=type[Metric])


def implements(name: str, *, replace: bool = False) -> Callable[[_M], _M]:
    """Bind a :class:`Metric` subclass to the registry's metric ``name`` (a class decorator).

    The charter registry (:data:`codesign.charter.registry.REGISTRY`) says what a metric means;
    this binding says how it is computed. Binding a name twice is an error unless ``replace``.
    """

    def bind(cls: _M) -> _M:
        if name in _IMPLEMENTATIONS and not replace:
            msg = f"metric {name!r} already has an implementation"
            raise ValueError(msg)
        _IMPLEMENTATIONS[name] = cls
        return cls

    return bind


def implementation_for(spec: MetricSpec) -> Metric:
    """A fresh instance of the computation bound to ``spec``'s name."""
    cls = _IMPLEMENTATIONS.get(spec.name)
    if cls is None:
        msg = f"metric {spec.name!r} is registered but has no implementation (see implements())"
        raise LookupError(msg)
    return cls()


def implemented_names() -> frozenset[str]:
    """Every metric name with a computation bound to it."""
    return frozenset(_IMPLEMENTATIONS)


def missing_columns(
    requirements: tuple[Requirement, ...], predictions: Predictions | None
) -> list[str]:
    """Each unmet requirement as text (``"column y_score"``, ``"column y_pred or y_score"``)."""
    out = []
    for alternatives in requirements:
        if predictions is None or not any(predictions.has(c) for c in alternatives):
            names = " or ".join(sorted(alternatives))
            out.append(f"column {names}")
    return out


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


# --- binary metrics ----------------------------------------------------------------------------


def _levels(params: MetricParams) -> list[int] | None:
    return params.levels if isinstance(params, BinaryParams) else None


def _threshold(params: MetricParams) -> tuple[float, bool]:
    """The threshold and whether the charter set it explicitly."""
    if isinstance(params, BinaryParams):
        return params.threshold, "threshold" in params.model_fields_set
    return 0.5, False


class BinaryMetric(Metric):
    """A metric of a yes/no decision (or of a risk score) against the reference.

    Subclasses implement :meth:`score` on two arrays: the reference (0/1) and either the
    decision (0/1) or, when :attr:`uses_scores` is set, the risk score.
    """

    uses_scores: ClassVar[bool] = False

    @abstractmethod
    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        """The value on arrays; ``nan`` when it is undefined (e.g. no positive case).

        ``sample_weight`` counts each row that many times: ``subgroup_gap`` passes one row per
        distinct (group, reference, decision) with its count, which gives the same value.
        """

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        arrays = self.arrays(data.predictions, params)
        if arrays is None:
            return None
        return _finite(self.score(*arrays))

    def arrays(
        self, predictions: Predictions | None, params: MetricParams
    ) -> tuple[NDArray[np.int8], NDArray[Any]] | None:
        """The reference and the decision (or score) this metric judges, or ``None``."""
        if predictions is None:
            return None
        levels = _levels(params)
        if levels is not None:
            if predictions.level_true is None:
                return None
            truth = np.isin(predictions.level_true, levels).astype(np.int8)
            if self.uses_scores:
                return None if predictions.y_score is None else (truth, predictions.y_score)
            if predictions.level_pred is None:
                return None
            return truth, np.isin(predictions.level_pred, levels).astype(np.int8)
        if predictions.y_true is None:
            return None
        if self.uses_scores:
            return (
                None if predictions.y_score is None else (predictions.y_true, predictions.y_score)
            )
        decision = decisions(predictions, params)
        return None if decision is None else (predictions.y_true, decision)

    def requires(self, params: MetricParams) -> tuple[Requirement, ...]:
        if _levels(params) is not None:
            second = Y_SCORE if self.uses_scores else LEVEL_PRED
            return (frozenset({LEVEL_TRUE}), frozenset({second}))
        if self.uses_scores or _threshold(params)[1]:
            return (frozenset({Y_TRUE}), frozenset({Y_SCORE}))
        return (frozenset({Y_TRUE}), frozenset({Y_PRED, Y_SCORE}))

    def unavailable(self, data: EvaluationData, params: MetricParams) -> str:
        missing = missing_columns(self.requires(params), data.predictions)
        if missing:
            why = "needs " + "; ".join(missing)
            if not self.uses_scores and _threshold(params)[1] and _levels(params) is None:
                why += " (the outcome sets a threshold)"
            return why
        return "undefined on these predictions (no case of the class it is measured on)"


def decisions(predictions: Predictions, params: MetricParams) -> NDArray[np.int8] | None:
    """The 0/1 decisions judged: see the module documentation for the precedence."""
    threshold, explicit = _threshold(params)
    if predictions.y_score is not None and (explicit or predictions.y_pred is None):
        return (predictions.y_score >= threshold).astype(np.int8)
    if explicit:
        return None
    return predictions.y_pred


class _ConfusionRatio(BinaryMetric):
    """A ratio of the confusion matrix, as scikit-learn's ``recall_score``/``precision_score``
    compute it for the class ``pos_label``; ``nan`` (not measured) when its denominator is 0."""

    scorer: ClassVar[Literal["recall_score", "precision_score"]]
    pos_label: ClassVar[int]

    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        import sklearn.metrics

        scorer = getattr(sklearn.metrics, self.scorer)
        return float(
            scorer(
                truth,
                predicted,
                pos_label=self.pos_label,
                zero_division=np.nan,
                sample_weight=sample_weight,
            )
        )


@implements("sensitivity")
class Sensitivity(_ConfusionRatio):
    """Share of positive cases flagged: TP / (TP + FN) (scikit-learn ``recall_score``)."""

    scorer = "recall_score"
    pos_label = 1


@implements("specificity")
class Specificity(_ConfusionRatio):
    """Share of negative cases left alone: TN / (TN + FP) (recall of the negative class)."""

    scorer = "recall_score"
    pos_label = 0


@implements("ppv")
class PositivePredictiveValue(_ConfusionRatio):
    """Share of alerts that are right: TP / (TP + FP) (scikit-learn ``precision_score``)."""

    scorer = "precision_score"
    pos_label = 1


@implements("npv")
class NegativePredictiveValue(_ConfusionRatio):
    """Share of silences that are right: TN / (TN + FN) (precision of the negative class)."""

    scorer = "precision_score"
    pos_label = 0


@implements("accuracy")
class Accuracy(BinaryMetric):
    """Share of all cases decided right (scikit-learn ``accuracy_score``)."""

    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        from sklearn.metrics import accuracy_score

        return float(accuracy_score(truth, predicted, sample_weight=sample_weight))


@implements("f1")
class F1(BinaryMetric):
    """Harmonic mean of sensitivity and PPV (scikit-learn ``f1_score``)."""

    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        from sklearn.metrics import f1_score

        return float(
            f1_score(
                truth, predicted, pos_label=1, zero_division=np.nan, sample_weight=sample_weight
            )
        )


def _both_classes(truth: NDArray[np.int8]) -> bool:
    return bool(truth.any() and not truth.all())


@implements("auroc")
class AreaUnderROC(BinaryMetric):
    """Probability that a positive case scores above a negative one (``roc_auc_score``)."""

    uses_scores = True

    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        from sklearn.metrics import roc_auc_score

        if not _both_classes(truth):
            return math.nan
        return float(roc_auc_score(truth, predicted, sample_weight=sample_weight))


@implements("auprc")
class AreaUnderPR(BinaryMetric):
    """Area under the precision-recall curve, as average precision (``average_precision_score``)."""

    uses_scores = True

    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        from sklearn.metrics import average_precision_score

        if not truth.any():
            return math.nan
        return float(
            average_precision_score(truth, predicted, pos_label=1, sample_weight=sample_weight)
        )


@implements("brier")
class Brier(BinaryMetric):
    """Mean squared gap between risk and outcome (``brier_score_loss``)."""

    uses_scores = True

    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        from sklearn.metrics import brier_score_loss

        return float(
            brier_score_loss(
                truth, predicted, pos_label=1, labels=[0, 1], sample_weight=sample_weight
            )
        )


@implements("ece")
class ExpectedCalibrationError(BinaryMetric):
    """Weighted mean gap between predicted risk and observed frequency over equal-width bins.

    See :func:`expected_calibration_error`; the number of bins comes from ``params.bins``
    (10 when the metric is used inside ``subgroup_gap``).
    """

    uses_scores = True

    def __init__(self, bins: int = CalibrationParams().bins) -> None:
        self.bins = bins

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        if isinstance(params, CalibrationParams) and params.bins != self.bins:
            return ExpectedCalibrationError(params.bins).compute(data, params)
        return super().compute(data, params)

    def score(
        self,
        truth: NDArray[np.int8],
        predicted: NDArray[Any],
        sample_weight: NDArray[np.float64] | None = None,
    ) -> float:
        return expected_calibration_error(truth, predicted, self.bins, sample_weight)


def expected_calibration_error(
    truth: NDArray[np.int8],
    score: NDArray[np.float64],
    bins: int,
    sample_weight: NDArray[np.float64] | None = None,
) -> float:
    """ECE = sum over bins b of (n_b / n) * |mean(y_true in b) - mean(y_score in b)|.

    The bins are those of scikit-learn's ``calibration_curve(strategy="uniform")``, which gives
    the per-bin means but not the bin weights, so the two agree bin for bin.
    """
    weight = np.ones(len(truth)) if sample_weight is None else np.asarray(sample_weight, float)
    edges = np.linspace(0.0, 1.0, bins + 1)
    bin_ids = np.searchsorted(edges[1:-1], score)  # as calibration_curve does
    observed = np.bincount(bin_ids, weights=truth * weight, minlength=bins)
    predicted = np.bincount(bin_ids, weights=score * weight, minlength=bins)
    return float(np.abs(observed - predicted).sum() / weight.sum())


# --- ordinal (triage level) metrics ------------------------------------------------------------


class OrdinalMetric(Metric):
    """A metric of triage levels (1 = most urgent) against the reference levels."""

    def requires(self, params: MetricParams) -> tuple[Requirement, ...]:
        del params
        return (frozenset({LEVEL_TRUE}), frozenset({LEVEL_PRED}))

    def levels(self, data: EvaluationData) -> tuple[NDArray[np.int8], NDArray[np.int8]] | None:
        predictions = data.predictions
        if predictions is None or predictions.level_true is None or predictions.level_pred is None:
            return None
        return predictions.level_true, predictions.level_pred


@implements("under_triage_rate")
class UnderTriageRate(OrdinalMetric):
    """Share of cases given a less urgent (numerically greater) level than the reference."""

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        del params  # no options
        levels = self.levels(data)
        if levels is None:
            return None
        reference, given = levels
        return float(np.mean(given > reference))


@implements("over_triage_rate")
class OverTriageRate(OrdinalMetric):
    """Share of cases given a more urgent (numerically smaller) level than the reference."""

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        del params  # no options
        levels = self.levels(data)
        if levels is None:
            return None
        reference, given = levels
        return float(np.mean(given < reference))


# --- feedback metrics --------------------------------------------------------------------------


_FEEDBACK_LABELS: Final = {
    FeedbackKind.SUS: "SUS questionnaire",
    FeedbackKind.TRUST: "trust questionnaire",
    FeedbackKind.TIME_MOTION: "time-motion measurement",
    FeedbackKind.REVIEW: "output review",
}


class FeedbackMetric(Metric):
    """A metric of the clinicians' feedback records of one kind."""

    kind: ClassVar[FeedbackKind]

    def records(self, data: EvaluationData) -> list[FeedbackRecord]:
        return [r for r in data.feedback if r.kind is self.kind]

    def unavailable(self, data: EvaluationData, params: MetricParams) -> str:
        del data, params
        return f"no {_FEEDBACK_LABELS[self.kind]} in the feedback records"


@implements("sus")
class SystemUsabilityScale(FeedbackMetric):
    """Mean SUS score (0-100) over the SUS questionnaires."""

    kind = FeedbackKind.SUS

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        del params  # no options
        scores = [s for r in self.records(data) if (s := r.sus_score()) is not None]
        return statistics.fmean(scores) if scores else None


@implements("trust")
class Trust(FeedbackMetric):
    """Mean over trust questionnaires of each response's mean trust answer (1-5)."""

    kind = FeedbackKind.TRUST

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        del params  # no options
        scores = [s for r in self.records(data) if (s := r.trust_score()) is not None]
        return statistics.fmean(scores) if scores else None


@implements("minutes_saved")
class MinutesSaved(FeedbackMetric):
    """Median of ``minutes_without - minutes_with`` over the time-motion records."""

    kind = FeedbackKind.TIME_MOTION

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        del params  # no options
        saved = [s for r in self.records(data) if (s := r.minutes_saved()) is not None]
        return float(statistics.median(saved)) if saved else None


@implements("reviewed_accuracy")
class ReviewedAccuracy(FeedbackMetric):
    """Share of reviewed outputs rated accurate."""

    kind = FeedbackKind.REVIEW

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        del params  # no options
        ratings = [r.accurate for r in self.records(data) if r.accurate is not None]
        return sum(ratings) / len(ratings) if ratings else None


# --- subgroups ---------------------------------------------------------------------------------

MIN_GROUPS: Final = 2


def _compress(
    group: NDArray[np.intp], truth: NDArray[np.int8], predicted: NDArray[Any]
) -> tuple[NDArray[np.intp], NDArray[np.int8], NDArray[Any], NDArray[np.float64]]:
    """Distinct (group, reference, prediction) rows and how many cases each stands for.

    A metric weighted by these counts equals the metric on the cases, and fairlearn's
    MetricFrame, which handles its input row by row in Python, then sees a handful of rows
    instead of a hundred thousand (for decisions; risk scores compress less).
    """
    order = np.lexsort((predicted, truth, group))
    group, truth, predicted = group[order], truth[order], predicted[order]
    change = np.ones(len(order), dtype=bool)
    change[1:] = (
        (group[1:] != group[:-1]) | (truth[1:] != truth[:-1]) | (predicted[1:] != predicted[:-1])
    )
    starts = np.flatnonzero(change)
    counts = np.diff(np.append(starts, len(order))).astype(np.float64)
    return group[starts], truth[starts], predicted[starts], counts


@implements("subgroup_gap")
class SubgroupGap(Metric):
    """Largest difference of a binary metric between the groups of a column (max - min).

    Computed per group with fairlearn's ``MetricFrame``. Rows with an empty group value join no
    group; groups smaller than ``min_group_size`` and groups where the metric is undefined (e.g.
    no positive case for sensitivity) are left out; fewer than two groups left → not measured.
    """

    def inner(self, params: SubgroupParams) -> BinaryMetric:
        spec = REGISTRY.get(params.metric)
        if spec is None or spec.kind is not MetricKind.BINARY:  # the params validator prevents it
            msg = f"subgroup_gap needs a binary metric, got {params.metric!r}"
            raise ValueError(msg)
        metric = implementation_for(spec)
        if not isinstance(metric, BinaryMetric):
            msg = f"subgroup_gap needs a binary metric, {params.metric!r} is not"
            raise TypeError(msg)
        return metric

    def requires(self, params: MetricParams) -> tuple[Requirement, ...]:
        if not isinstance(params, SubgroupParams):
            return ()
        return (*self.inner(params).requires(params), frozenset({params.by}))

    def group_values(self, data: EvaluationData, params: SubgroupParams) -> dict[str, float] | None:
        """The metric per group kept, or ``None`` when the columns are absent.

        Keys are group values: for computing only, never to be logged or printed.
        """
        predictions = data.predictions
        inner = self.inner(params)
        arrays = inner.arrays(predictions, params)
        if predictions is None or arrays is None or params.by not in predictions.groups:
            return None
        from fairlearn.metrics import MetricFrame

        groups = predictions.groups[params.by]
        truth, predicted = arrays
        known = np.array([g is not None for g in groups], dtype=bool)
        labels, index = np.unique(groups[known].astype(str), return_inverse=True)
        sizes = np.bincount(index, minlength=len(labels))
        large = sizes >= params.min_group_size
        if not large.any():
            return {}
        keep = large[index]
        group, truth, predicted, weights = _compress(
            index[keep], truth[known][keep], predicted[known][keep]
        )
        frame = MetricFrame(
            metrics=inner.score,
            y_true=truth,
            y_pred=predicted,
            sensitive_features=labels[group],
            sample_params={"sample_weight": weights},
        )
        return {
            str(k): float(v)
            for k, v in frame.by_group.items()
            if v is not None and math.isfinite(float(v))
        }

    def compute(self, data: EvaluationData, params: MetricParams) -> float | None:
        if not isinstance(params, SubgroupParams):
            return None
        values = self.group_values(data, params)
        if values is None or len(values) < MIN_GROUPS:
            return None
        return max(values.values()) - min(values.values())

    def unavailable(self, data: EvaluationData, params: MetricParams) -> str:
        missing = missing_columns(self.requires(params), data.predictions)
        if missing:
            return "needs " + "; ".join(missing)
        size = params.min_group_size if isinstance(params, SubgroupParams) else 1
        return (
            f"fewer than {MIN_GROUPS} groups with at least {size} case(s) where the metric is "
            "defined"
        )
