"""Measure an iteration against the charter: every outcome, with its verdict.

:func:`evaluate` is pure (no MLflow): the notebook can show an evaluation before logging it, and
logging (:mod:`codesign.tracking.iteration`) records exactly what it returns.

A verdict is ``met``, ``not met`` or ``not measured``; an outcome is not measured when the data
it needs was not given (no ``y_score`` for an AUROC, no SUS responses yet), and its note says
what is missing. A metric that fails on odd data is logged as not measured with the error's
type, never its message (which could quote a value), and never stops the other outcomes.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from pydantic import ValidationError

from codesign.charter.registry import REGISTRY, SubgroupParams
from codesign.i18n import _
from codesign.presentation import (
    CELL_STYLE,
    TABLE_STYLE,
    VERDICTS,
    esc,
    format_target,
    number,
    verdict_counts,
)
from codesign.tracking.metrics import EvaluationData, implementation_for

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from codesign.charter.feedback import FeedbackRecord
    from codesign.charter.model import Charter, Outcome
    from codesign.charter.registry import MetricParams, MetricSpec
    from codesign.tracking.metrics import Metric
    from codesign.tracking.predictions import Predictions

logger = logging.getLogger(__name__)

Verdict = Literal["met", "not met", "not measured"]

PANEL_PREFIX: Final = "all/"
"""MLflow key prefix of the panel: every registry metric computable with its default options."""


@dataclass(frozen=True)
class OutcomeResult:
    """One outcome of the charter, measured on one iteration."""

    id: str
    title: str
    metric: str
    category: str
    target: str
    """As written in the charter, e.g. ``>= 0.95``."""
    value: float | None
    met: bool | None
    """``None`` when not measured."""
    note: str | None = None
    """Why it was not measured, in plain words; ``None`` when measured."""

    @property
    def verdict(self) -> Verdict:
        if self.met is None:
            return "not measured"
        return "met" if self.met else "not met"

    def to_json(self) -> dict[str, Any]:
        """The outcome as DESIGN.md section 5 prints it (plus ``verdict`` and ``note``)."""
        return {
            "id": self.id,
            "metric": self.metric,
            "value": self.value,
            "target": self.target,
            "met": self.met,
            "verdict": self.verdict,
            "note": self.note,
        }


@dataclass(frozen=True)
class Evaluation:
    """An iteration measured against a charter."""

    outcomes: tuple[OutcomeResult, ...]
    panel: Mapping[str, float] = field(default_factory=dict)
    """Every registry metric computable with its default options, by metric name."""
    rows: int | None = None
    """Number of predictions, if any were given."""
    feedback_records: int = 0

    def outcome(self, outcome_id: str) -> OutcomeResult | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def counts(self) -> dict[Verdict, int]:
        """How many outcomes are met, not met and not measured."""
        return verdict_counts(outcome.verdict for outcome in self.outcomes)

    def _repr_html_(self) -> str:
        return evaluation_html(self, heading="Evaluation (not logged)")


def evaluate(
    charter: Charter,
    predictions: Predictions | None,
    feedback: Sequence[FeedbackRecord] = (),
) -> Evaluation:
    """Measure every outcome of ``charter`` on ``predictions`` and ``feedback``."""
    measure = _Measurer(EvaluationData(predictions=predictions, feedback=tuple(feedback)))
    outcomes = tuple(measure.outcome(outcome) for outcome in charter.outcomes)
    return Evaluation(
        outcomes=outcomes,
        panel=measure.panel(),
        rows=None if predictions is None else predictions.rows,
        feedback_records=len(feedback),
    )


class _Measurer:
    """Computes metrics on one iteration's data, each (metric, options) pair once.

    Outcomes and the panel often ask for the same thing (an outcome on sensitivity with default
    options is the panel's sensitivity): on 100k predictions that halves the work.
    """

    def __init__(self, data: EvaluationData) -> None:
        self.data = data
        self._values: dict[tuple[str, str], float | str | None] = {}

    def value(self, spec: MetricSpec, params: MetricParams, label: str) -> float | str | None:
        """The value, ``None`` (not measured) or a note saying the computation failed."""
        key = (spec.name, f"{type(params).__name__}:{params.model_dump_json(exclude_unset=True)}")
        if key not in self._values:
            self._values[key] = _compute(implementation_for(spec), self.data, params, label)
        return self._values[key]

    def outcome(self, outcome: Outcome) -> OutcomeResult:
        spec = REGISTRY.get(outcome.metric)
        if spec is None:  # the charter validator refuses unknown metrics; a plug-in may be gone
            return _result(outcome, None, f"metric {outcome.metric!r} is not registered")
        params = spec.parse_params(outcome.params)
        value = self.value(spec, params, outcome.id)
        if isinstance(value, str):
            return _result(outcome, None, value)
        if value is None:
            return _result(outcome, None, implementation_for(spec).unavailable(self.data, params))
        return _result(outcome, value, None)

    def panel(self) -> dict[str, float]:
        """Every registered metric that needs no options, computed with its defaults."""
        values: dict[str, float] = {}
        for spec in REGISTRY:
            try:
                params = spec.params()
            except ValidationError:  # needs options (subgroup_gap): not part of the panel
                continue
            value = self.value(spec, params, spec.name)
            if isinstance(value, float):
                values[spec.name] = value
        return values


def _result(outcome: Outcome, value: float | None, note: str | None) -> OutcomeResult:
    return OutcomeResult(
        id=outcome.id,
        title=outcome.title,
        metric=outcome.metric,
        category=outcome.category.value,
        target=str(outcome.target),
        value=value,
        met=None if value is None else outcome.target.met(value),
        note=note,
    )


def _compute(
    metric: Metric, data: EvaluationData, params: MetricParams, label: str
) -> float | str | None:
    """The value, ``None`` (not measured) or a note saying the computation failed."""
    try:
        value = metric.compute(data, params)
    except Exception as e:  # one metric's failure must not lose the iteration
        logger.warning("metric for %s could not be computed: %s", label, type(e).__name__)
        return f"could not be computed ({type(e).__name__})"
    if value is None:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def column_needs(charter: Charter) -> dict[str, list[str]]:
    """Which outcomes need which prediction or subgroup column (for error messages)."""
    needs: dict[str, list[str]] = {}
    for outcome in charter.outcomes:
        spec = REGISTRY.get(outcome.metric)
        if spec is None:
            continue
        params = spec.parse_params(outcome.params)
        for alternatives in implementation_for(spec).requires(params):
            for column in alternatives:
                needs.setdefault(column, []).append(outcome.id)
    return needs


def group_columns(charter: Charter) -> list[str]:
    """The subgroup columns the charter's outcomes compare across (``params.by``)."""
    columns: list[str] = []
    for outcome in charter.outcomes:
        spec = REGISTRY.get(outcome.metric)
        if spec is None:
            continue
        params = spec.parse_params(outcome.params)
        if isinstance(params, SubgroupParams) and params.by not in columns:
            columns.append(params.by)
    return columns


def verdict_text(outcome: OutcomeResult) -> str:
    """The verdict in plain words for a terminal, with why it was not measured."""
    if outcome.met is None:
        return _("not measured ({why})", why=outcome.note) if outcome.note else _("not measured")
    return _("met") if outcome.met else _("NOT MET")


def evaluation_rows(evaluation: Evaluation) -> list[list[str]]:
    return [
        [o.id, o.metric, number(o.value), format_target(o.target), verdict_text(o)]
        for o in evaluation.outcomes
    ]


def evaluation_html(evaluation: Evaluation, *, heading: str) -> str:
    cell_l = CELL_STYLE.format(align="left")
    cell_r = CELL_STYLE.format(align="right")
    body = []
    for o in evaluation.outcomes:
        colour = VERDICTS[o.verdict].text_colour
        verdict = esc(o.verdict if o.met is not None else verdict_text(o))
        body.append(
            f"<tr><td {cell_l} title='{esc(o.title)}'>{esc(o.id)}</td>"
            f"<td {cell_l}>{esc(o.metric)}</td>"
            f"<td {cell_r}>{number(o.value)}</td>"
            f"<td {cell_l}>{esc(o.target)}</td>"
            f"<td {cell_l}><span style='color:{colour};font-weight:600'>{verdict}</span></td></tr>"
        )
    header = "".join(
        f"<th {cell_l}>{h}</th>" for h in ("outcome", "metric", "value", "target", "verdict")
    )
    return (
        f"<div><strong>{esc(heading)}</strong>"
        f"<table {TABLE_STYLE}><thead><tr>{header}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
        "</div>"
    )
