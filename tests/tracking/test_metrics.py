"""Every metric against a hand computation on tests/data/predictions-small.csv.

The ten cases, with the confusion of y_true against y_pred (no threshold in the charter, so the
vendor's decisions are judged):

    case y_true y_score y_pred level_true level_pred sex   y_pred vs y_true
    c01    1    0.92     1        1          1       F     TP
    c02    1    0.81     1        2          3       F     TP   under-triaged
    c03    1    0.42     0        2          2       M     FN
    c04    1    0.73     1        1          2       M     TP   under-triaged
    c05    0    0.64     1        4          3       F     FP   over-triaged
    c06    0    0.28     0        5          5       F     TN
    c07    0    0.17     0        3          3       M     TN
    c08    0    0.06     0        4          4       M     TN
    c09    0    0.55     1        5          4       F     FP   over-triaged
    c10    1    0.35     1        3          4       M     TP   under-triaged

TP 4, FN 1, FP 2, TN 3.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from codesign.charter.feedback import feedback_for
from codesign.charter.registry import (
    REGISTRY,
    BinaryParams,
    CalibrationParams,
    MetricKind,
    MetricSpec,
    NoParams,
    SubgroupParams,
)
from codesign.tracking.evaluation import evaluate
from codesign.tracking.metrics import (
    BinaryMetric,
    EvaluationData,
    ExpectedCalibrationError,
    Metric,
    expected_calibration_error,
    implementation_for,
    implemented_names,
    implements,
)
from codesign.tracking.predictions import Predictions

HAND = {
    # binary, from y_pred
    "sensitivity": 4 / 5,  # TP / (TP + FN)
    "specificity": 3 / 5,  # TN / (TN + FP)
    "ppv": 4 / 6,  # TP / (TP + FP)
    "npv": 3 / 4,  # TN / (TN + FN)
    "accuracy": 7 / 10,
    "f1": 2 * (4 / 6) * (4 / 5) / ((4 / 6) + (4 / 5)),
    # from y_score. AUROC: pairs (positive, negative) ranked right: 5 + 5 + 3 + 5 + 3 = 21 of 25.
    "auroc": 21 / 25,
    # Average precision: by falling score P P P N N P P N N N; precision at each positive
    # 1, 1, 1, 4/6, 5/7, each weighing a recall step of 1/5.
    "auprc": (1 + 1 + 1 + 4 / 6 + 5 / 7) / 5,
    # Brier: mean of (y - s)^2 = (0.0064 + 0.0361 + 0.3364 + 0.0729 + 0.4096 + 0.0784 + 0.0289
    #                           + 0.0036 + 0.3025 + 0.4225) / 10
    "brier": 1.6973 / 10,
    # ECE, 10 bins of width 0.1: one case per bin, so the mean of |y - s|.
    "ece": (0.08 + 0.19 + 0.58 + 0.27 + 0.64 + 0.28 + 0.17 + 0.06 + 0.55 + 0.65) / 10,
    # triage levels: c02, c04, c10 less urgent than needed; c05, c09 more urgent.
    "under_triage_rate": 3 / 10,
    "over_triage_rate": 2 / 10,
}


def data(predictions: Predictions | None = None, feedback: Any = ()) -> EvaluationData:
    return EvaluationData(predictions=predictions, feedback=tuple(feedback))


def compute(name: str, params: Any, evaluation_data: EvaluationData) -> float | None:
    spec = REGISTRY.get(name)
    assert spec is not None
    return implementation_for(spec).compute(evaluation_data, params)


def test_every_registry_spec_has_a_computation_and_nothing_else_does() -> None:
    assert len(REGISTRY) >= 17
    assert implemented_names() == set(REGISTRY.names())
    for spec in REGISTRY:
        assert isinstance(implementation_for(spec), Metric), spec.name


def test_a_spec_without_a_computation_is_refused_by_name() -> None:
    spec = MetricSpec(
        "not_a_metric",
        "Not a metric",
        "Registered in the charter, never bound to a computation.",
        MetricKind.BINARY,
        higher_is_better=True,
    )
    with pytest.raises(LookupError, match="'not_a_metric' is registered but has no"):
        implementation_for(spec)


def test_a_name_is_bound_to_one_computation_only() -> None:
    with pytest.raises(ValueError, match="already has an implementation"):
        implements("sensitivity")(ExpectedCalibrationError)


@pytest.mark.parametrize("name", sorted(HAND))
def test_metric_matches_hand_computation(name: str, small: Predictions) -> None:
    spec = REGISTRY.get(name)
    assert spec is not None
    value = compute(name, spec.params(), data(small))
    assert value == pytest.approx(HAND[name], abs=1e-12)


def test_explicit_threshold_uses_scores_not_the_vendors_decisions(small: Predictions) -> None:
    # y_score >= 0.5 flags c01 c02 c04 c05 c09: TP 3, FN 2 (c03, c10), FP 2, TN 3.
    at_half = BinaryParams.model_validate({"threshold": 0.5})
    assert compute("sensitivity", at_half, data(small)) == pytest.approx(3 / 5)
    assert compute("specificity", at_half, data(small)) == pytest.approx(3 / 5)
    # y_score >= 0.3 flags every positive and c05, c09: TP 5, FP 2, TN 3.
    at_03 = BinaryParams.model_validate({"threshold": 0.3})
    assert compute("sensitivity", at_03, data(small)) == pytest.approx(1.0)
    assert compute("specificity", at_03, data(small)) == pytest.approx(3 / 5)


def test_without_y_pred_the_default_threshold_applies(small: Predictions) -> None:
    scores_only = Predictions(
        source="scores",
        sha256="0" * 64,
        rows=small.rows,
        y_true=small.y_true,
        y_score=small.y_score,
    )
    assert compute("sensitivity", BinaryParams(), data(scores_only)) == pytest.approx(3 / 5)


def test_explicit_threshold_without_scores_is_not_measured(small: Predictions) -> None:
    decisions_only = Predictions(
        source="decisions",
        sha256="0" * 64,
        rows=small.rows,
        y_true=small.y_true,
        y_pred=small.y_pred,
    )
    params = BinaryParams.model_validate({"threshold": 0.3})
    spec = REGISTRY.get("sensitivity")
    assert spec is not None
    metric = implementation_for(spec)
    assert metric.compute(data(decisions_only), params) is None
    assert metric.unavailable(data(decisions_only), params) == (
        "needs column y_score (the outcome sets a threshold)"
    )


def test_binary_metrics_on_triage_levels(small: Predictions) -> None:
    # positive = level 1 or 2: c01-c04. Flagged (level_pred 1 or 2): c01, c03, c04.
    levels = BinaryParams.model_validate({"levels": [1, 2]})
    assert compute("sensitivity", levels, data(small)) == pytest.approx(3 / 4)
    assert compute("specificity", levels, data(small)) == pytest.approx(1.0)
    assert compute("npv", levels, data(small)) == pytest.approx(6 / 7)
    # score-based metrics on levels rank y_score against level_true in {1, 2}:
    # positives 0.92 0.81 0.42 0.73; every negative below 0.42 but c05 (0.64) and c09 (0.55).
    assert compute("auroc", levels, data(small)) == pytest.approx((6 + 6 + 4 + 6) / 24)


def test_ece_agrees_with_sklearn_calibration_curve() -> None:
    from sklearn.calibration import calibration_curve

    rng = np.random.default_rng(7)
    score = rng.random(2000)
    truth = (rng.random(2000) < score**1.5).astype(np.int8)
    prob_true, prob_pred = calibration_curve(truth, score, n_bins=8, strategy="uniform")
    edges = np.linspace(0, 1, 9)
    counts = np.bincount(np.searchsorted(edges[1:-1], score), minlength=8)
    weights = counts[counts > 0] / counts.sum()
    expected = float(np.sum(weights * np.abs(prob_true - prob_pred)))
    assert expected_calibration_error(truth, score, 8) == pytest.approx(expected, abs=1e-12)


def test_ece_bins_come_from_params(small: Predictions) -> None:
    # 5 bins: {0.06, 0.17} {0.28, 0.35} {0.42, 0.55} {0.64, 0.73} {0.81, 0.92}:
    # |observed - predicted| per bin: 0.23, 0.37, 0.03, 0.37, 0.27, over 10 cases.
    value = ExpectedCalibrationError().compute(data(small), CalibrationParams(bins=5))
    assert value == pytest.approx(1.27 / 10, abs=1e-12)


def test_undefined_values_are_not_measured() -> None:
    negatives = Predictions(
        source="all negative",
        sha256="0" * 64,
        rows=4,
        y_true=np.zeros(4, dtype=np.int8),
        y_score=np.array([0.1, 0.6, 0.2, 0.3]),
        y_pred=np.array([0, 1, 0, 0], dtype=np.int8),
    )
    for name in ("sensitivity", "auroc", "auprc"):
        spec = REGISTRY.get(name)
        assert spec is not None
        assert compute(name, spec.params(), data(negatives)) is None, name
    assert compute("specificity", BinaryParams(), data(negatives)) == pytest.approx(3 / 4)
    assert compute("brier", BinaryParams(), data(negatives)) == pytest.approx(
        (0.01 + 0.36 + 0.04 + 0.09) / 4
    )


def subgroup(**params: Any) -> SubgroupParams:
    return SubgroupParams.model_validate(params)


def test_subgroup_gap_with_fairlearn(small: Predictions) -> None:
    # Women c01 c02 c05 c06 c09: positives c01, c02 both flagged -> sensitivity 1.
    # Men c03 c04 c07 c08 c10: positives c03 (missed), c04, c10 -> 2/3.
    assert compute("subgroup_gap", subgroup(metric="sensitivity", by="sex"), data(small)) == (
        pytest.approx(1 / 3)
    )
    # Specificity: women 1 of 3 negatives left alone, men 2 of 2.
    assert compute("subgroup_gap", subgroup(metric="specificity", by="sex"), data(small)) == (
        pytest.approx(2 / 3)
    )
    # On levels 1-2: women c01 caught, c02 missed -> 1/2; men c03, c04 caught -> 1.
    on_levels = subgroup(metric="sensitivity", by="sex", levels=[1, 2])
    assert compute("subgroup_gap", on_levels, data(small)) == pytest.approx(1 / 2)


def test_subgroup_gap_respects_min_group_size(small: Predictions) -> None:
    params = subgroup(metric="sensitivity", by="sex", min_group_size=5)
    assert compute("subgroup_gap", params, data(small)) == pytest.approx(1 / 3)
    too_small = subgroup(metric="sensitivity", by="sex", min_group_size=6)
    assert compute("subgroup_gap", too_small, data(small)) is None
    spec = REGISTRY.get("subgroup_gap")
    assert spec is not None
    assert "fewer than 2 groups with at least 6" in implementation_for(spec).unavailable(
        data(small), too_small
    )


def test_subgroup_rows_without_a_group_join_none(small: Predictions) -> None:
    sex = small.groups["sex"].copy()
    sex[2] = None  # c03, the man whose case was missed: without it, men are at 2/2
    partial = Predictions(
        source="partial",
        sha256="0" * 64,
        rows=small.rows,
        y_true=small.y_true,
        y_pred=small.y_pred,
        groups={"sex": sex},
    )
    assert compute("subgroup_gap", subgroup(metric="sensitivity", by="sex"), data(partial)) == 0


def test_subgroup_gap_without_its_column_says_so(small: Predictions) -> None:
    params = subgroup(metric="sensitivity", by="age_band")
    spec = REGISTRY.get("subgroup_gap")
    assert spec is not None
    metric = implementation_for(spec)
    assert metric.compute(data(small), params) is None
    assert metric.unavailable(data(small), params) == "needs column age_band"


def test_feedback_metrics(feedback: list[Any]) -> None:
    current = [r for r in feedback if not r.iteration]
    # SUS: all 4s -> (5 x 3 + 5 x 1) x 2.5 = 50; alternating 5/1 -> 100.
    assert compute("sus", NoParams(), data(feedback=current)) == pytest.approx(75)
    # Trust: (4 + 3) / 2 = 3.5 and 5.
    assert compute("trust", NoParams(), data(feedback=current)) == pytest.approx(4.25)
    # Minutes saved 3, 0.5, 2: median 2.
    assert compute("minutes_saved", NoParams(), data(feedback=current)) == pytest.approx(2)
    assert compute("reviewed_accuracy", NoParams(), data(feedback=current)) == pytest.approx(0.75)


def test_feedback_about_another_iteration_never_counts(feedback: list[Any]) -> None:
    general = feedback_for(feedback, "new-model")
    assert len(general) == 11
    assert all(r.iteration is None for r in general)
    about_old = feedback_for(feedback, "old-model")
    assert [r.sus_score() for r in about_old] == [0]
    # all records together would drag the SUS down to (50 + 100 + 0) / 3
    assert compute("sus", NoParams(), data(feedback=feedback)) == pytest.approx(50)


@pytest.mark.parametrize("spec", list(REGISTRY), ids=lambda s: s.name)
def test_absent_data_is_not_measured_never_a_crash(spec: MetricSpec) -> None:
    params = (
        subgroup(metric="sensitivity", by="sex") if spec.params is SubgroupParams else spec.params()
    )
    metric = implementation_for(spec)
    assert metric.compute(data(), params) is None
    reason = metric.unavailable(data(), params)
    assert reason.startswith(("needs column", "no ")), reason


def test_evaluate_gives_every_outcome_a_verdict(
    charter: Any, small: Predictions, feedback: Any
) -> None:
    evaluation = evaluate(charter, small, [r for r in feedback if not r.iteration])
    verdicts = {o.id: (o.value, o.verdict) for o in evaluation.outcomes}
    assert verdicts["sens"] == (pytest.approx(0.8), "met")
    assert verdicts["sens_at_03"] == (pytest.approx(1.0), "met")
    assert verdicts["spec"] == (pytest.approx(0.6), "not met")
    assert verdicts["f1_score"] == (pytest.approx(HAND["f1"]), "met")  # 0.727 > 0.7
    assert verdicts["calibration_gap"] == (pytest.approx(0.127), "not met")
    assert verdicts["high_acuity"] == (pytest.approx(0.75), "not met")
    assert verdicts["sex_gap"] == (pytest.approx(1 / 3), "not met")
    assert verdicts["usability"] == (pytest.approx(75), "met")
    assert verdicts["rated_accurate"] == (pytest.approx(0.75), "not met")
    assert evaluation.counts() == {"met": 11, "not met": 8, "not measured": 0}
    assert evaluation.panel["auroc"] == pytest.approx(HAND["auroc"])
    assert "subgroup_gap" not in evaluation.panel


def test_evaluate_without_predictions_measures_feedback_only(charter: Any, feedback: Any) -> None:
    evaluation = evaluate(charter, None, feedback_for(feedback, "new-model"))
    sens = evaluation.outcome("sens")
    assert sens is not None
    assert (sens.value, sens.met, sens.verdict) == (None, None, "not measured")
    assert sens.note == "needs column y_true; column y_pred or y_score"
    usability = evaluation.outcome("usability")
    assert usability is not None
    assert usability.verdict == "met"


class _Exploding(Metric):
    """A computation that raises with a message quoting a patient value."""

    def compute(self, data: EvaluationData, params: Any) -> float | None:
        del data, params
        msg = "value Jean Dupont is bad"
        raise ValueError(msg)


@pytest.fixture
def exploding_accuracy() -> Iterator[None]:
    spec = REGISTRY.get("accuracy")
    assert spec is not None
    original = type(implementation_for(spec))
    implements("accuracy", replace=True)(_Exploding)
    try:
        yield
    finally:
        implements("accuracy", replace=True)(original)


@pytest.mark.usefixtures("exploding_accuracy")
def test_a_failing_metric_is_not_measured_and_quotes_no_value(
    charter: Any, small: Predictions, caplog: pytest.LogCaptureFixture
) -> None:
    evaluation = evaluate(charter, small)
    acc = evaluation.outcome("acc")
    assert acc is not None
    assert acc.verdict == "not measured"
    assert acc.note == "could not be computed (ValueError)"
    assert "accuracy" not in evaluation.panel
    assert evaluation.outcome("sens") is not None
    assert "Jean" not in caplog.text


@pytest.mark.parametrize("inner", ["sensitivity", "specificity", "f1", "auroc", "brier", "ece"])
def test_subgroup_gap_equals_the_metric_computed_group_by_group(inner: str) -> None:
    rng = np.random.default_rng(5)
    n = 3000
    truth = (rng.random(n) < 0.3).astype(np.int8)
    score = np.clip(0.4 * truth + rng.random(n) * 0.6, 0, 1).round(2)
    groups = rng.choice(np.array(["A", "B", "C", None], dtype=object), n, p=[0.5, 0.3, 0.15, 0.05])
    predictions = Predictions(
        source="random",
        sha256="0" * 64,
        rows=n,
        y_true=truth,
        y_score=score,
        groups={"site": groups},
    )
    spec = REGISTRY.get(inner)
    assert spec is not None
    metric = implementation_for(spec)
    assert isinstance(metric, BinaryMetric)
    per_group = []
    for label in ("A", "B", "C"):
        rows = groups == label
        sub = Predictions(
            source=label,
            sha256="0" * 64,
            rows=int(rows.sum()),
            y_true=truth[rows],
            y_score=score[rows],
        )
        value = metric.compute(data(sub), BinaryParams())
        assert value is not None
        per_group.append(value)
    gap = compute("subgroup_gap", subgroup(metric=inner, by="site"), data(predictions))
    assert gap == pytest.approx(max(per_group) - min(per_group), abs=1e-12)
