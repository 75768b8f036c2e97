"""Where a project stands: every outcome of the charter, judged on one named iteration.

Before this module each view answered "where do we stand?" on its own: the report took each
outcome's latest value from whichever iteration last measured it (so a vendor's model was
credited with the usability the nurses gave the in-house pilot), the portfolio counted
unmeasured outcomes as not met, the feedback section averaged every record ever given. Now
``compare``, the report (headline, scorecard, charts, feedback), the portfolio, the demo and
``promote`` all call :func:`standing_of` and say which iteration they judge.

The rules, written once:

* the judged iteration is the one named, by default the latest (the candidate);
* an outcome's value is the one *that iteration* logged, judged against today's target; an
  outcome it did not measure is ``not measured``, never borrowed from another iteration. Its
  note says why and where it was last measured ("not measured for v3-vendor; last measured on
  v2-gbm-pilot: 80.6");
* feedback counts for the iteration its records name (:func:`feedback_for`);
* every number is written by :func:`format_number`, the one formatter of every view;
* the iteration carries its data's gate status (``passed``, ``failed``, ``not run``: shown as
  "not gated") and, when the gate was overridden, the recorded reason.

Pure: no I/O here but :func:`project_standing`, which reads the charter, the store and the
feedback file and then calls :func:`standing_of`.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from codesign.charter.feedback import FeedbackKind, feedback_for
from codesign.exceptions import CodesignError, TrackingError
from codesign.i18n import N_, _
from codesign.presentation import format_number, verdict_counts
from codesign.tracking.comparison import build_comparison
from codesign.tracking.tags import TAG_DATA, TAG_GATE_OVERRIDE, TAG_PREDICTIONS

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence
    from pathlib import Path

    from codesign.charter.feedback import FeedbackRecord
    from codesign.charter.model import Charter
    from codesign.project import GateStatus, Project
    from codesign.tracking.comparison import ComparedIteration, Comparison, OutcomeColumn
    from codesign.tracking.evaluation import Verdict
    from codesign.tracking.reading import IterationRecord

logger = logging.getLogger(__name__)

GATE_WORDS: Final[dict[str, str]] = {
    "passed": N_("gate passed"),
    "failed": N_("gate failed"),
    "not run": N_("not gated"),
}
"""How an iteration's data gate status reads for people."""

FEEDBACK_METRIC_KINDS: Final[dict[str, FeedbackKind]] = {
    "sus": FeedbackKind.SUS,
    "trust": FeedbackKind.TRUST,
    "minutes_saved": FeedbackKind.TIME_MOTION,
    "reviewed_accuracy": FeedbackKind.REVIEW,
}
"""Which kind of feedback record each feedback metric is computed from."""


@dataclass(frozen=True)
class LastMeasured:
    """Where an outcome not measured on the judged iteration was last measured before it."""

    iteration: str
    value: float


@dataclass(frozen=True)
class OutcomeStanding:
    """One outcome of the current charter, judged on the judged iteration."""

    id: str
    title: str
    metric: str
    category: str
    target: str
    higher_is_better: bool
    iteration: str | None
    """The judged iteration's name (``None`` before the first iteration)."""
    value: float | None
    """The value the judged iteration logged; never another iteration's."""
    met: bool | None
    regression: bool = False
    """Not met, although an earlier iteration met it."""
    last_measured: LastMeasured | None = None
    """When not measured here: the latest earlier iteration that measured it."""
    responses: int | None = None
    """For a feedback metric: the records about the judged iteration it is computed from."""

    @property
    def verdict(self) -> Verdict:
        if self.met is None:
            return "not measured"
        return "met" if self.met else "not met"

    @property
    def note(self) -> str | None:
        """Why it is not measured, in plain words; ``None`` when measured."""
        if self.met is not None:
            return None
        if self.iteration is None:
            return _("no iteration logged yet")
        if self.last_measured is not None:
            last = self.last_measured
            return _(
                "not measured for {iteration}; last measured on {last}: {value}",
                iteration=self.iteration,
                last=last.iteration,
                value=format_number(last.value),
            )
        return _(
            "not measured for {iteration}; not measured by an earlier iteration either",
            iteration=self.iteration,
        )

    @property
    def unnamed_note(self) -> str | None:
        """:attr:`note` without iteration names, for views that show no free text."""
        if self.met is not None:
            return None
        if self.iteration is None:
            return _("no iteration logged yet")
        if self.last_measured is None:
            return _("not measured by the judged iteration nor an earlier one")
        value = format_number(self.last_measured.value)
        return _(
            "not measured by the judged iteration; last measured by an earlier one: {value}",
            value=value,
        )

    @property
    def value_text(self) -> str:
        return format_number(self.value)

    def to_json(self, *, free_text: bool = True) -> dict[str, Any]:
        """The outcome's standing; ``free_text=False`` leaves out iteration names (see
        :meth:`Standing.to_json`)."""
        last = self.last_measured
        return {
            "id": self.id,
            "metric": self.metric,
            "target": self.target,
            "value": self.value,
            "value_text": self.value_text,
            "met": self.met,
            "verdict": self.verdict,
            "iteration": self.iteration if free_text else None,
            "note": self.note if free_text else self.unnamed_note,
            "regression": self.regression,
            "last_measured": (
                None
                if last is None
                else {"iteration": last.iteration if free_text else None, "value": last.value}
            ),
            "responses": self.responses,
        }


@dataclass(frozen=True)
class JudgedIteration:
    """The iteration a standing judges, with what its numbers rest on."""

    run_id: str
    name: str
    started_at: dt.datetime
    governance: GateStatus
    """Gate status of the data it was measured on, as recorded when it was logged."""
    gate_override: str | None
    """Why it was logged although its data failed the gate; ``None`` without an override."""
    data_sha256: str | None
    charter_current: bool
    author: str | None

    @property
    def gate_text(self) -> str:
        """``gate passed``, ``gate failed``, ``not gated``, with the override's reason."""
        text = _(GATE_WORDS[self.governance]) if self.governance in GATE_WORDS else self.governance
        if self.gate_override:
            return _("{gate} (overridden: {reason})", gate=text, reason=self.gate_override)
        return text

    def to_json(self, *, free_text: bool = True) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "name": self.name if free_text else None,
            "started_at": self.started_at.isoformat(),
            "governance": self.governance,
            "gate_override": self.gate_override if free_text else None,
            "gate_overridden": self.gate_override is not None,
            "data_sha256": self.data_sha256,
            "charter_current": self.charter_current,
            "author": self.author,
        }


@dataclass(frozen=True)
class Standing:
    """Every outcome of the current charter, judged on one iteration."""

    charter_sha256: str
    iteration: JudgedIteration | None
    """``None`` when no iteration was logged yet."""
    outcomes: tuple[OutcomeStanding, ...]
    iterations: int
    """Iterations logged in all."""
    feedback: dict[str, int] = field(default_factory=dict)
    """Feedback records about the judged iteration, by kind (``sus``, ``trust``...)."""

    def outcome(self, outcome_id: str) -> OutcomeStanding | None:
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    def counts(self) -> dict[Verdict, int]:
        """How many outcomes are met, not met and not measured on the judged iteration."""
        return verdict_counts(outcome.verdict for outcome in self.outcomes)

    @property
    def complete(self) -> bool:
        """Every outcome measured and met on the judged iteration (and there is one)."""
        return bool(self.outcomes) and all(o.met for o in self.outcomes)

    def headline(self) -> str:
        """``v3-vendor: 3 met, 2 not met, 3 not measured of 8 outcomes (data: gate passed)``."""
        total = len(self.outcomes)
        if self.iteration is None:
            return f"{total} outcome(s); no iteration logged yet"
        counts = self.counts()
        return (
            f"{self.iteration.name}: {counts['met']} met, {counts['not met']} not met, "
            f"{counts['not measured']} not measured of {total} outcome(s) "
            f"(data: {self.iteration.gate_text})"
        )

    def to_json(self, *, free_text: bool = True) -> dict[str, Any]:
        """The standing as one JSON-ready document.

        ``free_text=False`` leaves out what a person typed (iteration names, an override's
        reason): the portfolio shows only charter fields, counts, dates and values, and
        identifies the judged iteration by its run id. Values and verdicts are the same.
        """
        counts = self.counts()
        judged = self.iteration
        return {
            "iteration": None if judged is None else judged.to_json(free_text=free_text),
            "charter_sha256": self.charter_sha256,
            "iterations": self.iterations,
            "counts": {
                "met": counts["met"],
                "not_met": counts["not met"],
                "not_measured": counts["not measured"],
            },
            "complete": self.complete,
            "outcomes": [o.to_json(free_text=free_text) for o in self.outcomes],
            "feedback": dict(self.feedback),
            "headline": self.headline() if free_text else None,
        }


def standing_of(
    charter: Charter,
    records: Sequence[IterationRecord],
    *,
    iteration: str | None = None,
    feedback: Sequence[FeedbackRecord] = (),
    comparison: Comparison | None = None,
) -> Standing:
    """The standing of every outcome of ``charter`` on the iteration named ``iteration``.

    ``records`` are the project's iterations, oldest first (as :func:`read_store` returns them);
    ``iteration`` defaults to the latest. ``feedback`` is every feedback record of the project:
    only those about the judged iteration are counted. A caller that has already built the
    comparison of ``records`` passes it, so both agree by construction.
    """
    comparison = comparison or build_comparison(charter, charter.use_case.slug or "", records)
    index = _judged_index(comparison, iteration)
    if index is None:
        empty: Counter[str] = Counter()
        outcomes = tuple(_outcome(column, None, None, empty) for column in comparison.outcomes)
        return Standing(comparison.charter_sha256, None, outcomes, 0)
    judged = comparison.iterations[index]
    record = records[index]
    about = feedback_for(feedback, judged.name)
    kinds = Counter(r.kind.value for r in about)
    outcomes = tuple(
        _outcome(column, judged, _last_measured(comparison, index, column.id), kinds)
        for column in comparison.outcomes
    )
    return Standing(
        charter_sha256=comparison.charter_sha256,
        iteration=JudgedIteration(
            run_id=judged.run_id,
            name=judged.name,
            started_at=judged.started_at,
            governance=_gate_status(judged.governance),
            gate_override=record.tags.get(TAG_GATE_OVERRIDE) or None,
            data_sha256=record.tags.get(TAG_DATA) or record.tags.get(TAG_PREDICTIONS),
            charter_current=judged.charter_current,
            author=judged.author,
        ),
        outcomes=outcomes,
        iterations=len(comparison.iterations),
        feedback=dict(sorted(kinds.items())),
    )


def read_project_feedback(project: Project) -> list[FeedbackRecord]:
    """The project's feedback records; an unreadable file counts as none (and is logged).

    The values a standing states were logged with the iterations; the records only add the
    count of responses, so a damaged file must not hide the standing.
    """
    from codesign.charter.feedback import read_feedback

    if not project.feedback_path.is_file():
        return []
    try:
        return read_feedback(project.feedback_path)
    except CodesignError as e:
        logger.warning("feedback records not counted: %s", e)
        return []


def project_standing(
    project: Project | Path | str | None = None,
    *,
    iteration: str | None = None,
    tracking_uri: str | None = None,
) -> Standing:
    """:func:`standing_of` for a project on disk: its charter, store and feedback file."""
    from codesign.project import Project
    from codesign.tracking.reading import read_store

    where = project if isinstance(project, Project) else Project.at(project)
    charter = where.load_charter().charter
    records = read_store(where.tracking_uri(tracking_uri), where.slug_of(charter))
    feedback = read_project_feedback(where)
    return standing_of(charter, records, iteration=iteration, feedback=feedback)


def _judged_index(comparison: Comparison, name: str | None) -> int | None:
    if not comparison.iterations:
        if name is not None:
            raise TrackingError(_unknown(name, ()))
        return None
    if name is None:
        return len(comparison.iterations) - 1
    for index in range(len(comparison.iterations) - 1, -1, -1):
        if comparison.iterations[index].name == name:
            return index
    raise TrackingError(_unknown(name, [it.name for it in comparison.iterations]))


def _unknown(name: str, names: Sequence[str]) -> str:
    if not names:
        return f"iteration {name!r}: no iteration is logged yet (log one with `codesign track`)"
    return f"iteration {name!r}: no such iteration in this project; expected one of: " + ", ".join(
        names
    )


def _gate_status(tag: str | None) -> GateStatus:
    if tag in ("passed", "failed"):
        return tag  # type: ignore[return-value]
    return "not run"


def _last_measured(comparison: Comparison, index: int, outcome_id: str) -> LastMeasured | None:
    for earlier in reversed(comparison.iterations[:index]):
        cell = earlier.cells.get(outcome_id)
        if cell is not None and cell.value is not None:
            return LastMeasured(earlier.name, cell.value)
    return None


def _outcome(
    column: OutcomeColumn,
    judged: ComparedIteration | None,
    last: LastMeasured | None,
    kinds: Counter[str],
) -> OutcomeStanding:
    cell = judged.cells.get(column.id) if judged is not None else None
    met = cell.met if cell is not None else None
    kind = FEEDBACK_METRIC_KINDS.get(column.metric)
    return OutcomeStanding(
        id=column.id,
        title=column.title,
        metric=column.metric,
        category=column.category,
        target=column.target,
        higher_is_better=column.higher_is_better,
        iteration=judged.name if judged is not None else None,
        value=cell.value if cell is not None else None,
        met=met,
        regression=bool(cell is not None and cell.regression),
        last_measured=None if met is not None else last,
        responses=kinds.get(kind.value, 0) if kind is not None and judged is not None else None,
    )
