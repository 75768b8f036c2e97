"""Compare iterations: every logged iteration × every outcome of the current charter.

Each value is judged against the *current* target, so a comparison always answers "which
iteration meets what the clinicians ask for today"; an iteration measured under an earlier
charter is marked (``charter_current: false``), and its verdict as logged stays in MLflow.

Per outcome, the trend says whether the latest measured value is better, worse or the same as
the one before (in the target's direction). An iteration that misses an outcome an earlier
iteration met is a *regression* and is flagged: that is the moment a clinician should hear about.

Reading goes through :func:`codesign.tracking.reading.read_iterations` (no MLflow import for the
embedded store), so a comparison of hundreds of iterations takes milliseconds.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from codesign.project import Project
from codesign.tracking.reading import TAG_GATE_OVERRIDE, read_store

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    import pandas as pd

    from codesign.charter.model import Charter
    from codesign.tracking.reading import IterationRecord
    from codesign.tracking.standing import Standing

Direction = Literal["better", "worse", "same"]
SAME_TOLERANCE: Final = 1e-12


@dataclass(frozen=True)
class OutcomeColumn:
    """An outcome of the current charter, as the comparison shows it."""

    id: str
    title: str
    metric: str
    target: str
    higher_is_better: bool
    category: str = ""


@dataclass(frozen=True)
class Cell:
    """One iteration's value for one outcome, judged against the current target."""

    value: float | None
    met: bool | None
    regression: bool = False
    """Not met, although an earlier iteration met it."""


@dataclass(frozen=True)
class ComparedIteration:
    """One iteration (a finished MLflow run) in the comparison."""

    run_id: str
    name: str
    started_at: dt.datetime
    governance: str | None
    author: str | None
    charter_sha256: str | None
    charter_current: bool
    """Measured under the charter as it is now (same content hash)."""
    cells: Mapping[str, Cell] = field(default_factory=dict)
    gate_override: str | None = None
    """Why it was logged although its data failed the gate (``--override-gate``)."""


@dataclass(frozen=True)
class Trend:
    """How an outcome moved over the iterations that measured it."""

    outcome: str
    values: tuple[float, ...]
    """Measured values, oldest first."""
    direction: Direction | None
    """Latest against the one before, in the target's direction; ``None`` with fewer than 2."""

    @property
    def latest(self) -> float | None:
        return self.values[-1] if self.values else None

    @property
    def previous(self) -> float | None:
        return self.values[-2] if len(self.values) >= 2 else None


@dataclass(frozen=True)
class Regression:
    """An iteration missing an outcome that an earlier iteration met."""

    outcome: str
    run_id: str
    name: str
    value: float
    target: str
    last_met_run_id: str
    last_met_name: str
    last_met_value: float


@dataclass(frozen=True)
class Comparison:
    """Iterations × outcomes, with targets, verdicts, trends and regressions."""

    experiment: str
    charter_sha256: str
    outcomes: tuple[OutcomeColumn, ...]
    iterations: tuple[ComparedIteration, ...]
    trends: Mapping[str, Trend]
    regressions: tuple[Regression, ...]
    standing: Standing | None = None
    """Where the judged iteration (default: the latest) stands: what every view states."""

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md section 5's ``compare`` document (with added fields)."""
        return {
            "iterations": [
                {
                    "run_id": it.run_id,
                    "name": it.name,
                    "outcomes": {
                        oid: {"value": c.value, "met": c.met, "regression": c.regression}
                        for oid, c in it.cells.items()
                    },
                    "started_at": it.started_at.isoformat(),
                    "governance": it.governance,
                    "gate_override": it.gate_override,
                    "author": it.author,
                    "charter_sha256": it.charter_sha256,
                    "charter_current": it.charter_current,
                }
                for it in self.iterations
            ],
            "experiment": self.experiment,
            "charter_sha256": self.charter_sha256,
            "outcomes": [
                {"id": o.id, "title": o.title, "metric": o.metric, "target": o.target}
                for o in self.outcomes
            ],
            "trends": {
                oid: {
                    "direction": t.direction,
                    "latest": t.latest,
                    "previous": t.previous,
                    "measured": len(t.values),
                }
                for oid, t in self.trends.items()
            },
            "regressions": [
                {
                    "outcome": r.outcome,
                    "run_id": r.run_id,
                    "name": r.name,
                    "value": r.value,
                    "target": r.target,
                    "last_met_run_id": r.last_met_run_id,
                    "last_met_name": r.last_met_name,
                    "last_met_value": r.last_met_value,
                }
                for r in self.regressions
            ],
            "standing": None if self.standing is None else self.standing.to_json(),
        }

    def to_frame(self) -> pd.DataFrame:
        """Iterations (rows) × outcomes (columns) of values, for plotting in a notebook."""
        import pandas as pd

        rows = {it.name: {oid: c.value for oid, c in it.cells.items()} for it in self.iterations}
        return pd.DataFrame.from_dict(rows, orient="index", columns=[o.id for o in self.outcomes])

    def text(self, last: int | None = 6) -> str:
        """A plain-text table of the last ``last`` iterations (all with ``None``)."""
        from codesign.tracking.display import comparison_text

        return comparison_text(self, last=last)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        from codesign.tracking.display import comparison_html

        return comparison_html(self)


def compare(
    project: Project | Path | str | None = None,
    *,
    tracking_uri: str | None = None,
    iteration: str | None = None,
) -> Comparison:
    """Compare every finished iteration of the project against its current charter.

    The comparison carries the standing of ``iteration`` (default: the latest), the same one
    the report, the portfolio and ``promote`` state; an unknown name is a ``TrackingError``.
    """
    from codesign.tracking.standing import read_project_feedback, standing_of

    where = project if isinstance(project, Project) else Project.at(project)
    charter = where.load_charter().charter
    experiment = where.slug_of(charter)
    records = read_store(where.tracking_uri(tracking_uri), experiment)
    comparison = build_comparison(charter, experiment, records)
    standing = standing_of(
        charter,
        records,
        iteration=iteration,
        feedback=read_project_feedback(where),
        comparison=comparison,
    )
    return dataclasses.replace(comparison, standing=standing)


def build_comparison(
    charter: Charter, experiment: str, records: Sequence[IterationRecord]
) -> Comparison:
    """The comparison of ``records`` (oldest first) against ``charter``; no I/O."""
    current = charter.content_sha256()
    columns = tuple(
        OutcomeColumn(
            id=o.id,
            title=o.title,
            metric=o.metric,
            target=str(o.target),
            higher_is_better=o.target.higher_is_better,
            category=o.category.value,
        )
        for o in charter.outcomes
    )
    met_before: dict[str, tuple[IterationRecord, float]] = {}
    measured: dict[str, list[float]] = {o.id: [] for o in charter.outcomes}
    regressions: list[Regression] = []
    iterations: list[ComparedIteration] = []
    for record in records:
        cells: dict[str, Cell] = {}
        for outcome in charter.outcomes:
            value = record.value(outcome.id)
            if value is None or not math.isfinite(value):
                cells[outcome.id] = Cell(value=None, met=None)
                continue
            met = outcome.target.met(value)
            earlier = met_before.get(outcome.id)
            regression = not met and earlier is not None
            cells[outcome.id] = Cell(value=value, met=met, regression=regression)
            measured[outcome.id].append(value)
            if met:
                met_before[outcome.id] = (record, value)
            elif earlier is not None:
                regressions.append(
                    Regression(
                        outcome=outcome.id,
                        run_id=record.run_id,
                        name=record.name,
                        value=value,
                        target=str(outcome.target),
                        last_met_run_id=earlier[0].run_id,
                        last_met_name=earlier[0].name,
                        last_met_value=earlier[1],
                    )
                )
        iterations.append(
            ComparedIteration(
                run_id=record.run_id,
                name=record.name,
                started_at=record.started_at,
                governance=record.governance,
                author=record.author,
                charter_sha256=record.charter_sha256,
                charter_current=record.charter_sha256 == current,
                cells=cells,
                gate_override=record.tags.get(TAG_GATE_OVERRIDE) or None,
            )
        )
    trends = {
        column.id: Trend(
            outcome=column.id,
            values=tuple(measured[column.id]),
            direction=_direction(measured[column.id], higher_is_better=column.higher_is_better),
        )
        for column in columns
    }
    return Comparison(
        experiment=experiment,
        charter_sha256=current,
        outcomes=columns,
        iterations=tuple(iterations),
        trends=trends,
        regressions=tuple(regressions),
    )


def _direction(values: Sequence[float], *, higher_is_better: bool) -> Direction | None:
    if len(values) < 2:
        return None
    delta = values[-1] - values[-2]
    if abs(delta) <= SAME_TOLERANCE * max(1.0, abs(values[-2])):
        return "same"
    return "better" if (delta > 0) == higher_is_better else "worse"
