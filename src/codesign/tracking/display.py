"""How iterations and comparisons read: plain text for the terminal, HTML for the notebook.

The text uses ASCII only (a CI log or a Windows console shows it as is); the HTML uses inline
styles, so it renders the same in JupyterLab, in an exported notebook and in a Papermill report.
Everything shown comes from the charter (titles, targets) and from computed numbers; no value of
the predictions is ever displayed.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Sequence

    from codesign.tracking.comparison import Cell, Comparison
    from codesign.tracking.evaluation import Evaluation, OutcomeResult
    from codesign.tracking.iteration import IterationResult

MISSING: Final = "-"
COLOURS: Final = {"met": "#1a7f37", "not met": "#cf222e", "not measured": "#6e7781"}
_TABLE: Final = 'style="border-collapse:collapse;font-size:0.9em"'
_CELL: Final = 'style="padding:2px 10px;text-align:{align};border-bottom:1px solid #d0d7de"'


def number(value: float | None) -> str:
    """A value as every view writes it (:func:`codesign.tracking.standing.format_number`)."""
    from codesign.tracking.standing import format_number

    return MISSING if value is None else format_number(value)


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Left-aligned columns, two spaces apart."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


# --- one iteration -----------------------------------------------------------------------------


def _verdict_text(outcome: OutcomeResult) -> str:
    if outcome.met is None:
        return f"not measured ({outcome.note})" if outcome.note else "not measured"
    return "met" if outcome.met else "NOT MET"


def evaluation_rows(evaluation: Evaluation) -> list[list[str]]:
    return [
        [o.id, o.metric, number(o.value), o.target, _verdict_text(o)] for o in evaluation.outcomes
    ]


def iteration_text(result: IterationResult) -> str:
    """The verdict table ``codesign track`` prints."""
    evaluation = result.evaluation
    counts = evaluation.counts()
    rows = "-" if evaluation.rows is None else f"{evaluation.rows}"
    head = [
        f'Logged iteration "{result.name}" (run {result.run_id}) to experiment {result.experiment}',
        f"  governance of the data: {result.gate_text}   charter: {result.charter_sha256[:12]}"
        f"   predictions: {rows} rows   feedback records: {evaluation.feedback_records}",
    ]
    if result.run_url:
        head.append(f"  in MLflow: {result.run_url}")
    head.append("")
    table = _table(["outcome", "metric", "value", "target", "verdict"], evaluation_rows(evaluation))
    summary = (
        f"\n\n{counts['met']} met, {counts['not met']} not met, "
        f"{counts['not measured']} not measured"
    )
    return "\n".join([*head, table]) + summary


def iteration_markdown(result: IterationResult) -> str:
    """The verdict table as Markdown, for the run's description in the MLflow UI."""
    lines = [
        f"**codesign iteration** — governance of the data: {result.gate_text}",
        "",
        "| outcome | metric | value | target | verdict |",
        "|---|---|---|---|---|",
    ]
    for o in result.outcomes:
        lines.append(
            f"| {o.id} | {o.metric} | {number(o.value)} | {o.target} | {_verdict_text(o)} |"
        )
    return "\n".join(lines)


def evaluation_html(evaluation: Evaluation, *, heading: str) -> str:
    cell_l = _CELL.format(align="left")
    cell_r = _CELL.format(align="right")
    body = []
    for o in evaluation.outcomes:
        colour = COLOURS[o.verdict]
        verdict = html.escape(o.verdict if o.met is not None else _verdict_text(o))
        body.append(
            f"<tr><td {cell_l} title='{html.escape(o.title)}'>{html.escape(o.id)}</td>"
            f"<td {cell_l}>{html.escape(o.metric)}</td>"
            f"<td {cell_r}>{number(o.value)}</td>"
            f"<td {cell_l}>{html.escape(o.target)}</td>"
            f"<td {cell_l}><span style='color:{colour};font-weight:600'>{verdict}</span></td></tr>"
        )
    header = "".join(
        f"<th {cell_l}>{h}</th>" for h in ("outcome", "metric", "value", "target", "verdict")
    )
    return (
        f"<div><strong>{html.escape(heading)}</strong>"
        f"<table {_TABLE}><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        "</div>"
    )


def iteration_html(result: IterationResult) -> str:
    heading = (
        f'Iteration "{result.name}" — run {result.run_id} in {result.experiment}; '
        f"governance of the data: {result.gate_text}"
    )
    table = evaluation_html(result.evaluation, heading=heading)
    if not result.run_url:
        return table
    link = html.escape(result.run_url, quote=True)
    return f"{table}<p><a href='{link}' target='_blank'>Open the run in MLflow</a></p>"


# --- comparisons -------------------------------------------------------------------------------


def _cell_text(cell: Cell | None) -> str:
    if cell is None or cell.met is None:
        return MISSING
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
        trend = comparison.trends[outcome.id].direction or MISSING
        cells = [_cell_text(it.cells.get(outcome.id)) for it in shown]
        rows.append([outcome.id, outcome.target, *cells, trend])
    scope = "all" if len(shown) == total else f"the last {len(shown)}; --json for all"
    lines = [
        f"Iterations of {comparison.experiment}: {total} (showing {scope})",
        "",
        _table(header, rows),
        "",
        "ok = met, NO = not met, NO! = regression (an earlier iteration met it), - = not measured",
    ]
    stale = [it.name for it in shown if not it.charter_current]
    if stale:
        lines.append(
            f"measured under an earlier charter (values judged against today's targets): "
            f"{', '.join(stale)}"
        )
    overridden = [f"{it.name} ({it.gate_override})" for it in shown if it.gate_override]
    if overridden:
        lines.append(f"logged on data that failed the governance gate: {', '.join(overridden)}")
    if comparison.standing is not None:
        lines.extend(["", f"Judged: {comparison.standing.headline()}"])
        lines.extend(
            f"  {o.id}: {o.note}"
            for o in comparison.standing.outcomes
            if o.note and o.last_measured is not None
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
        return f"<td {align} title='not measured'>{MISSING}</td>"
    if cell.met:
        return (
            f"<td {align}><span style='color:{COLOURS['met']}'>{number(cell.value)} ✓</span></td>"
        )
    flag = " ▼ regression" if cell.regression else ""
    return (
        f"<td {align}><span style='color:{COLOURS['not met']};font-weight:600'>"
        f"{number(cell.value)} ✗{flag}</span></td>"
    )


_ARROWS: Final = {"better": "↗ better", "worse": "↘ worse", "same": "→ same"}


def comparison_html(comparison: Comparison) -> str:
    cell_l = _CELL.format(align="left")
    cell_r = _CELL.format(align="right")
    if not comparison.iterations:
        return (
            f"<p>No iterations logged yet in <code>{html.escape(comparison.experiment)}</code>.</p>"
        )
    head = "".join(
        f"<th {cell_r} title='run {html.escape(it.run_id)}; governance {it.governance}'>"
        f"{html.escape(_short(it.name))}{'' if it.charter_current else ' *'}</th>"
        for it in comparison.iterations
    )
    body = []
    for outcome in comparison.outcomes:
        trend = comparison.trends[outcome.id].direction
        cells = "".join(
            _cell_html(it.cells.get(outcome.id), cell_r) for it in comparison.iterations
        )
        body.append(
            f"<tr><td {cell_l} title='{html.escape(outcome.title)}'>{html.escape(outcome.id)}</td>"
            f"<td {cell_l}>{html.escape(outcome.target)}</td>{cells}"
            f"<td {cell_l}>{_ARROWS.get(trend or '', MISSING)}</td></tr>"
        )
    note = (
        "<p style='font-size:0.8em'>* measured under an earlier charter; judged against "
        "today's targets.</p>"
        if any(not it.charter_current for it in comparison.iterations)
        else ""
    )
    return (
        f"<div><strong>Iterations of {html.escape(comparison.experiment)}</strong>"
        f"<div style='overflow-x:auto'><table {_TABLE}><thead><tr><th {cell_l}>outcome</th>"
        f"<th {cell_l}>target</th>{head}<th {cell_l}>trend</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table></div>{note}</div>"
    )
