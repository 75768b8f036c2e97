"""The metric registry: the names an outcome's ``metric`` may take, and what each one means.

The charter layer knows every metric by name, with a plain-language explanation a clinician can
read in the workshop form, its options (``params``) and which way is better. How a metric is
computed lives in the tracking layer, which binds an implementation to each name
(:func:`codesign.tracking.metrics.implements`): the link points down, from tracking to this
registry, as every import between layers does, so import-linter checks it and validating a
charter never imports scikit-learn.

To add a metric, register its spec here and its computation in the tracking layer::

    REGISTRY.register(MetricSpec(name="nnt", title="Number needed to treat", ...))

    @implements("nnt")
    class NumberNeededToTreat(Metric): ...
"""

from __future__ import annotations

import decimal
import difflib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from codesign.i18n import DEFAULT_LANGUAGE, N_, _, current_language, format_decimal

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping


class MetricKind(StrEnum):
    """What data a metric is measured on."""

    BINARY = "binary"
    """Predictions: ``y_true`` (0/1) with ``y_score`` (0..1) and/or ``y_pred`` (0/1)."""
    ORDINAL = "ordinal"
    """Triage levels: ``level_true`` and ``level_pred``, 1 = most urgent."""
    FEEDBACK = "feedback"
    """Clinician feedback records: SUS, trust, time-motion, reviews."""
    SUBGROUP = "subgroup"
    """A binary metric compared across the groups of a column."""


class MetricParams(BaseModel):
    """Options of a metric, written as ``params:`` under an outcome."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class NoParams(MetricParams):
    """A metric without options."""


class BinaryParams(MetricParams):
    """Options of the binary metrics."""

    threshold: float = Field(
        0.5,
        gt=0,
        lt=1,
        description="Risk score at or above which a patient counts as flagged (when only "
        "y_score is given).",
    )
    levels: list[int] | None = Field(
        None,
        description="Measure on triage levels instead of y_true/y_pred: a patient is positive "
        "when their level is one of these (e.g. [1, 2] for the most urgent).",
    )

    @field_validator("levels")
    @classmethod
    def _levels_are_triage_levels(cls, levels: list[int] | None) -> list[int] | None:
        if levels is None:
            return None
        if not levels or any(level < 1 or level > 5 for level in levels):
            msg = _("expected a non-empty list of triage levels between 1 and 5")
            raise ValueError(msg)
        return sorted(set(levels))


class CalibrationParams(MetricParams):
    """Options of the expected calibration error."""

    bins: int = Field(10, ge=2, le=100, description="Number of equal-width risk bins.")


class SubgroupParams(BinaryParams):
    """Options of ``subgroup_gap``: which metric, across the groups of which column."""

    metric: str = Field(description="The binary metric compared across groups, e.g. sensitivity.")
    by: str = Field(min_length=1, description="The column whose values form the groups, e.g. sex.")
    min_group_size: int = Field(
        1, ge=1, description="Groups with fewer patients than this are left out of the gap."
    )

    @field_validator("metric")
    @classmethod
    def _metric_is_binary(cls, name: str) -> str:
        spec = REGISTRY.get(name)
        if spec is None or spec.kind is not MetricKind.BINARY:
            choices = ", ".join(s.name for s in REGISTRY if s.kind is MetricKind.BINARY)
            msg = _(
                "expected a binary metric ({choices}), got {name}", choices=choices, name=repr(name)
            )
            raise ValueError(msg)
        return name


@dataclass(frozen=True)
class MetricSpec:
    """A metric as the charter knows it: name, meaning, options, and where it is computed."""

    name: str
    title: str
    summary: str
    """One plain-language sentence, shown next to the metric in the workshop form."""
    kind: MetricKind
    higher_is_better: bool
    params: type[MetricParams] = NoParams
    unit: str = ""
    """The unit after a value ("min"); :attr:`display_unit` in the reader's language."""
    value_range: tuple[float, float] | None = None
    """Where every value lies (a proportion: 0 to 1), for charts and the form's hints."""
    target_scale: tuple[float, float] | None = None
    """Where a target may lie, when not :attr:`value_range` (minutes saved: 0 to a day)."""

    @property
    def display_title(self) -> str:
        """:attr:`title` in the reader's language ("Sensibilité")."""
        return _(self.title)

    @property
    def display_summary(self) -> str:
        """:attr:`summary` in the reader's language."""
        return _(self.summary)

    @property
    def display_unit(self) -> str:
        """:attr:`unit` in the reader's language (empty: none)."""
        return _(self.unit) if self.unit else ""

    def name_in_charter(self) -> str:
        """How a message about the charter names this metric: its ``metric:`` key, which is
        what the file says; in another language than English, its name first
        ("Sensibilité (sensitivity)")."""
        if current_language() == DEFAULT_LANGUAGE:
            return self.name
        return f"{self.display_title} ({self.name})"

    @property
    def scale(self) -> tuple[float, float] | None:
        """The range a target must lie in: :attr:`target_scale`, else :attr:`value_range`."""
        return self.target_scale if self.target_scale is not None else self.value_range

    def scale_problem(self, op: str, number: str) -> str | None:
        """Why the target ``op number`` is outside this metric's scale, with the likely intent.

        ``>= 95`` on a proportion reads as 95 % meant: "did you mean >= 0.95?". A target that
        no value on the scale can meet (``> 1`` on a proportion) is refused too. ``None`` when
        the target fits.
        """
        scale = self.scale
        if scale is None:
            return None
        low, high = scale
        value = float(number)
        impossible = (op == ">" and value >= high) or (op == "<" and value <= low)
        if low <= value <= high and not impossible:
            return None
        words = {
            "got": f'"{op} {number}"',
            "metric": self.name_in_charter(),
            "low": format_decimal(low),
            "high": format_decimal(high) + (f" {self.display_unit}" if self.unit else ""),
        }
        if low <= value <= high:
            return _("{got} can never be met: {metric} goes from {low} to {high}", **words)
        guess = _percent_as_share(number)
        if guess is not None and low <= float(guess) <= high:
            return _(
                "expected a target on the scale of {metric}, {low} to {high}, got {got} "
                '(did you mean "{op} {guess}"?)',
                op=op,
                guess=guess,
                **words,
            )
        return _("expected a target on the scale of {metric}, {low} to {high}, got {got}", **words)

    def parse_params(self, raw: Mapping[str, Any]) -> MetricParams:
        """Validate an outcome's ``params`` for this metric (raises pydantic's ValidationError)."""
        return self.params.model_validate(dict(raw))


def _percent_as_share(number: str) -> str | None:
    """``95`` → ``0.95``: a percentage written where a share is expected; ``None`` if not one."""
    try:
        value = decimal.Decimal(number)
    except decimal.InvalidOperation:
        return None
    if not 1 < value <= 100:
        return None
    return format((value / 100).normalize(), "f")


class MetricRegistry:
    """The metric names a charter may use, in registration order."""

    def __init__(self) -> None:
        self._specs: dict[str, MetricSpec] = {}

    def register(self, spec: MetricSpec, *, replace: bool = False) -> MetricSpec:
        """Add ``spec``; registering a taken name is an error unless ``replace`` is set."""
        if spec.name in self._specs and not replace:
            msg = f"metric {spec.name!r} is already registered"
            raise ValueError(msg)
        self._specs[spec.name] = spec
        return spec

    def get(self, name: str) -> MetricSpec | None:
        """The spec registered under ``name``, or ``None``."""
        return self._specs.get(name)

    def names(self) -> list[str]:
        """Every registered name, in registration order."""
        return list(self._specs)

    def suggest(self, name: str) -> str | None:
        """The registered name closest to a mistyped ``name``, if any is close."""
        matches = difflib.get_close_matches(name, self._specs, n=1, cutoff=0.6)
        return matches[0] if matches else None

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[MetricSpec]:
        return iter(self._specs.values())

    def __len__(self) -> int:
        return len(self._specs)


REGISTRY = MetricRegistry()
"""The registry every layer reads; the built-in metrics of DESIGN.md section 4 are below."""

_BUILTINS: tuple[MetricSpec, ...] = (
    MetricSpec(
        "sensitivity",
        N_("Sensitivity"),
        N_("Of the patients who really had the condition, the share the tool caught."),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "specificity",
        N_("Specificity"),
        N_("Of the patients without the condition, the share the tool rightly left alone."),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "ppv",
        N_("Positive predictive value"),
        N_("When the tool raises an alert, how often the patient really has the condition."),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "npv",
        N_("Negative predictive value"),
        N_("When the tool stays silent, how often the patient really is fine."),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "accuracy",
        N_("Accuracy"),
        N_(
            "Share of all patients the tool classified correctly (misleading when the condition "
            "is rare)."
        ),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "f1",
        N_("F1 score"),
        N_(
            "One number balancing catching cases (sensitivity) and being right when alerting (PPV)."
        ),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "auroc",
        N_("Area under the ROC curve"),
        N_(
            "How well the risk score ranks sick patients above well ones: 0.5 is a coin toss, "
            "1 is perfect."
        ),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "auprc",
        N_("Area under the precision-recall curve"),
        N_("How well the risk score finds rare cases without drowning staff in false alerts."),
        MetricKind.BINARY,
        higher_is_better=True,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "brier",
        N_("Brier score"),
        N_(
            "Average squared gap between predicted risk and what happened: 0 is perfect, lower "
            "is better."
        ),
        MetricKind.BINARY,
        higher_is_better=False,
        params=BinaryParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "ece",
        N_("Expected calibration error"),
        N_(
            "How far predicted risks are from observed frequencies (a risk of 20 percent should "
            "come true 1 time in 5); lower is better."
        ),
        MetricKind.BINARY,
        higher_is_better=False,
        params=CalibrationParams,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "under_triage_rate",
        N_("Under-triage rate"),
        N_(
            "Share of patients given a less urgent triage level than they needed: the dangerous "
            "error; lower is better."
        ),
        MetricKind.ORDINAL,
        higher_is_better=False,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "over_triage_rate",
        N_("Over-triage rate"),
        N_(
            "Share of patients given a more urgent level than they needed: costs beds and staff "
            "time; lower is better."
        ),
        MetricKind.ORDINAL,
        higher_is_better=False,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "minutes_saved",
        N_("Minutes saved"),
        N_("Typical (median) minutes saved per task, from timed tasks with and without the tool."),
        MetricKind.FEEDBACK,
        higher_is_better=True,
        unit=N_("min"),
        target_scale=(0.0, 24 * 60.0),
    ),
    MetricSpec(
        "sus",
        N_("System Usability Scale"),
        N_(
            "Users' usability score from the standard 10-question survey, 0 to 100: 68 is "
            "average, above 80 is excellent."
        ),
        MetricKind.FEEDBACK,
        higher_is_better=True,
        value_range=(0.0, 100.0),
    ),
    MetricSpec(
        "trust",
        N_("Trust"),
        N_(
            "How much users trust the tool, averaged over the trust questions: 1 (not at all) to "
            "5 (fully)."
        ),
        MetricKind.FEEDBACK,
        higher_is_better=True,
        value_range=(1.0, 5.0),
    ),
    MetricSpec(
        "reviewed_accuracy",
        N_("Clinician-rated accuracy"),
        N_(
            "Share of the tool's outputs that reviewing clinicians rated accurate, with no "
            "clinically significant error."
        ),
        MetricKind.FEEDBACK,
        higher_is_better=True,
        value_range=(0.0, 1.0),
    ),
    MetricSpec(
        "subgroup_gap",
        N_("Gap between groups"),
        N_(
            "The largest difference of a metric between groups of patients (e.g. women and men): "
            "0 means equal; lower is better."
        ),
        MetricKind.SUBGROUP,
        higher_is_better=False,
        params=SubgroupParams,
        target_scale=(0.0, 1.0),
    ),
)

for _spec in _BUILTINS:
    REGISTRY.register(_spec)
