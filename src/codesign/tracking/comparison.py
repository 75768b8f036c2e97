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

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal

from codesign.presentation import (
    ASCII_MISSING,
    CELL_STYLE,
    TABLE_STYLE,
    VERDICTS,
    esc,
    number,
    text_table,
)
from codesign.project import Project
from codesign.tracking.reading import read_store

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping, Sequence
    from pathlib import Path

    import pandas as pd

    from codesign.charter.model import Charter
    from codesign.tracking.reading import IterationRecord

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
        }

    def to_frame(self) -> pd.DataFrame:
        """Iterations (rows) × outcomes (columns) of values, for plotting in a notebook."""
        import pandas as pd

        rows = {it.name: {oid: c.value for oid, c in it.cells.items()} for it in self.iterations}
        return pd.DataFrame.from_dict(rows, orient="index", columns=[o.id for o in self.outcomes])

    def text(self, last: int | None = 6) -> str:
        """A plain-text table of the last ``last`` iterations (all with ``None``)."""
        return comparison_text(self, last=last)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return comparison_html(self)


def compare(
    project: Project | Path | str | None = None, *, tracking_uri: str | None = None
) -> Comparison:
    """Compare every finished iteration of the project against its current charter."""
    where = project if isinstance(project, Project) else Project.at(project)
    charter = where.load_charter().charter
    experiment = where.slug_of(charter)
    records = read_store(where.tracking_uri(tracking_uri), experiment)
    return build_comparison(charter, experiment, records)


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


# --- how a comparison reads -------------------------------------------------------------------


def _cell_text(cell: Cell | None) -> str:
    if cell is None or cell.met is None:
        return ASCII_MISSING
    mark = "ok" if cell.met else ("NO!" if cell.regression else "NO")
    return f"{number(cell.value)} {mark}"


def _short(name: str, width: int = 22) -> str:
    return name if len(name) <= width else name[: width - 3] + "..."


def comparison_text(comparison: Comparison, *, last: int | None = 6) -> str:
    """Outcomes (rows) × the last iterations (columns), with target and trend."""
    total = len(comparison.iterations)
    if not total:
        return f"No iterations logged yet in experiment {comparison.experiment}."
    shown = (
        comparison.iterations if last is None or last >= total else comparison.iterations[-last:]
    )
    header = ["outcome", "target", *(_short(it.name) for it in shown), "trend"]
    rows = []
    for outcome in comparison.outcomes:
        trend = comparison.trends[outcome.id].direction or ASCII_MISSING
        cells = [_cell_text(it.cells.get(outcome.id)) for it in shown]
        rows.append([outcome.id, outcome.target, *cells, trend])
    scope = "all" if len(shown) == total else f"the last {len(shown)}; --json for all"
    lines = [
        f"Iterations of {comparison.experiment}: {total} (showing {scope})",
        "",
        text_table(header, rows),
        "",
        "ok = met, NO = not met, NO! = regression (an earlier iteration met it), - = not measured",
    ]
    stale = [it.name for it in shown if not it.charter_current]
    if stale:
        lines.append(
            f"measured under an earlier charter (values judged against today's targets): "
            f"{', '.join(stale)}"
        )
    latest = {r.outcome: r for r in comparison.regressions if r.run_id == shown[-1].run_id}
    if latest:
        lines.append("")
        lines.append(f"Regressions in the latest iteration ({shown[-1].name}):")
        lines.extend(
            f"  {r.outcome}: {number(r.value)}, target {r.target}; met by {r.last_met_name} "
            f"({number(r.last_met_value)})"
            for r in latest.values()
        )
    return "\n".join(lines)


def _cell_html(cell: Cell | None, align: str) -> str:
    if cell is None or cell.met is None:
        return f"<td {align} title='not measured'>{ASCII_MISSING}</td>"
    if cell.met:
        colour = VERDICTS["met"].text_colour
        return f"<td {align}><span style='color:{colour}'>{number(cell.value)} ✓</span></td>"
    flag = " ▼ regression" if cell.regression else ""
    return (
        f"<td {align}><span style='color:{VERDICTS['not met'].text_colour};font-weight:600'>"
        f"{number(cell.value)} ✗{flag}</span></td>"
    )


_ARROWS: Final = {"better": "↗ better", "worse": "↘ worse", "same": "→ same"}


def comparison_html(comparison: Comparison) -> str:
    cell_l = CELL_STYLE.format(align="left")
    cell_r = CELL_STYLE.format(align="right")
    if not comparison.iterations:
        return f"<p>No iterations logged yet in <code>{esc(comparison.experiment)}</code>.</p>"
    head = "".join(
        f"<th {cell_r} title='run {esc(it.run_id)}; governance {it.governance}'>"
        f"{esc(_short(it.name))}{'' if it.charter_current else ' *'}</th>"
        for it in comparison.iterations
    )
    body = []
    for outcome in comparison.outcomes:
        trend = comparison.trends[outcome.id].direction
        cells = "".join(
            _cell_html(it.cells.get(outcome.id), cell_r) for it in comparison.iterations
        )
        body.append(
            f"<tr><td {cell_l} title='{esc(outcome.title)}'>{esc(outcome.id)}</td>"
            f"<td {cell_l}>{esc(outcome.target)}</td>{cells}"
            f"<td {cell_l}>{_ARROWS.get(trend or '', ASCII_MISSING)}</td></tr>"
        )
    note = (
        "<p style='font-size:0.8em'>* measured under an earlier charter; judged against "
        "today's targets.</p>"
        if any(not it.charter_current for it in comparison.iterations)
        else ""
    )
    return (
        f"<div><strong>Iterations of {esc(comparison.experiment)}</strong>"
        f"<div style='overflow-x:auto'><table {TABLE_STYLE}><thead><tr><th {cell_l}>outcome</th>"
        f"<th {cell_l}>target</th>{head}<th {cell_l}>trend</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>{note}</div>"
    )
