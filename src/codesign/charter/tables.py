"""The charter as small tables people read: in notebooks, reports and terminals.

A :class:`Table` shows itself as an HTML table in Jupyter (``_repr_html_``, no pandas needed) and
as aligned text elsewhere, so a notebook cell that ends with ``outcomes_table(charter)`` is all a
notebook needs: the wording and formatting live here, once, not copied into every notebook.

Everything shown comes from the charter or from feedback records, which hold roles and scores
only; no function here reads patient data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codesign.charter.feedback import session_label
from codesign.charter.model import DecisionOption
from codesign.charter.registry import REGISTRY
from codesign.i18n import N_, _, format_percent, format_written_number
from codesign.presentation import esc, format_number, format_target

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence

    from codesign.charter.feedback import FeedbackRecord
    from codesign.charter.model import Charter, Column, DataContract, Decision


_LEFT = "text-align: left"


@dataclass(frozen=True)
class Table:
    """Columns and rows of text, with what to say when there are no rows (all of it in the
    reader's language: the functions below translate as they build)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = N_("Nothing here yet.")

    def records(self) -> list[dict[str, str]]:
        """One mapping per row, keyed by column (``pandas.DataFrame(table.records())``)."""
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def _repr_html_(self) -> str:
        if not self.rows:
            return f"<p><em>{esc(_(self.empty))}</em></p>"
        # JupyterLab right-aligns table cells, which suits numbers; these are mostly words.
        head = "".join(f'<th style="{_LEFT}">{esc(c)}</th>' for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f'<td style="{_LEFT}">{esc(cell)}</td>' for cell in row) + "</tr>"
            for row in self.rows
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __str__(self) -> str:
        if not self.rows:
            return _(self.empty)
        widths = [
            max(len(column), *(len(row[i]) for row in self.rows))
            for i, column in enumerate(self.columns)
        ]
        lines = [
            "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
            for line in (self.columns, *self.rows)
        ]
        lines.insert(1, "  ".join("-" * width for width in widths))
        return "\n".join(lines)


def _table(columns: Sequence[str], rows: Iterable[Sequence[str]], empty: str) -> Table:
    return Table(tuple(_(c) for c in columns), tuple(tuple(row) for row in rows), empty)


def _number(value: float | None, digits: int = 2) -> str:
    """A whole number as it is, else ``digits`` decimals, with the language's decimal sign."""
    if value is None:
        return ""
    written = str(int(value)) if float(value).is_integer() else f"{value:.{digits}f}"
    return format_written_number(written)


def stakeholders_table(charter: Charter) -> Table:
    """Who is involved, on which side of the co-design."""
    return _table(
        (N_("name"), N_("role"), N_("side"), N_("organisation")),
        ((s.name, s.role, s.side.label, s.organisation or "") for s in charter.stakeholders),
        N_("No stakeholders yet: add the clinical lead and the people who will use the tool."),
    )


def outcomes_table(charter: Charter) -> Table:
    """What success means: each outcome with its metric, in plain words, and its target."""
    rows = []
    for outcome in charter.outcomes:
        spec = REGISTRY.get(outcome.metric)
        rows.append(
            (
                outcome.id,
                outcome.title,
                outcome.category.label,
                outcome.metric,
                spec.display_summary if spec else "",
                format_target(outcome.target),
                outcome.owner or "",
            )
        )
    return _table(
        (
            "id",
            N_("outcome"),
            N_("category"),
            N_("metric"),
            N_("measures"),
            N_("target"),
            N_("owner"),
        ),
        rows,
        N_("No outcomes yet: agree in the workshop what success means, with a target for each."),
    )


def data_contract_table(contract: DataContract) -> Table:
    """The columns the data must have, and what the governance gate checks in each."""
    return _table(
        (
            N_("column"),
            N_("type"),
            N_("required"),
            N_("range"),
            N_("allowed"),
            N_("PHI"),
            N_("min. completeness"),
        ),
        (_column_row(column, contract) for column in contract.columns),
        N_(
            "No columns declared yet: list the columns the data may hold, and which are "
            "identifying."
        ),
    )


def _column_row(column: Column, contract: DataContract) -> tuple[str, ...]:
    completeness = column.min_completeness
    if completeness is None and column.required:
        completeness = contract.min_completeness
    return (
        column.name,
        column.type.value,
        _("yes") if column.required else "",
        _("{low} to {high}", low=_number(column.range[0]), high=_number(column.range[1]))
        if column.range
        else "",
        ", ".join(str(value) for value in column.allowed) if column.allowed else "",
        column.phi_mode.value,
        format_percent(completeness) if completeness is not None else "",
    )


def decision_table(decision: Decision) -> Table:
    """Build, buy or partner: each option's weighted score (1 to 5) and the choice made."""
    scores = decision.weighted_scores()
    return _table(
        (N_("option"), N_("weighted score (1-5)"), N_("criteria scored"), N_("chosen")),
        (
            (
                option.label,
                _number(scores[option]) or _("not scored"),
                str(sum(1 for c in decision.criteria if c.score(option) is not None)),
                _("yes") if decision.choice is option else "",
            )
            for option in DecisionOption
        ),
        "",
    )


def signoffs_table(
    charter: Charter,
    current: str | None = None,
    *,
    moment: Callable[[dt.datetime], str] = dt.datetime.isoformat,
) -> Table:
    """Who approved the charter, and whether it changed since (an outdated sign-off).

    ``current`` is the content hash sign-offs are judged against: a form passes the saved
    version's, so an edit not yet saved outdates nothing. ``moment`` writes the time of each
    sign-off (ISO 8601 by default; the workshop pages, in the project's time zone).
    """
    current = current or charter.content_sha256()
    return _table(
        (N_("name"), N_("role"), N_("signed at"), N_("status")),
        (
            (
                s.name,
                s.role,
                moment(s.signed_at),
                _("valid")
                if s.charter_sha256 == current
                else _("outdated: the charter changed since"),
            )
            for s in charter.signoffs
        ),
        N_("Not signed off yet."),
    )


def feedback_table(
    records: Sequence[FeedbackRecord],
    *,
    moment: Callable[[dt.datetime], str] = dt.datetime.isoformat,
) -> Table:
    """Feedback responses, one per row, with each one's own score; roles, never names.

    ``moment`` writes when each was recorded, as for :func:`signoffs_table`."""
    return _table(
        (
            N_("recorded at"),
            N_("kind"),
            N_("respondent role"),
            N_("iteration"),
            N_("session"),
            N_("score"),
        ),
        (
            (
                moment(r.recorded_at),
                r.kind.label,
                r.respondent_role,
                r.iteration or "",
                session_label(r.session) if r.session else "",
                _feedback_score(r),
            )
            for r in records
        ),
        N_("No feedback recorded yet."),
    )


def _feedback_score(record: FeedbackRecord) -> str:
    if (sus := record.sus_score()) is not None:
        return _("SUS {score}", score=format_number(sus))
    if (trust := record.trust_score()) is not None:
        return _("trust {score}", score=format_number(trust))
    if (saved := record.minutes_saved()) is not None:
        return _("{minutes} min saved", minutes=format_number(saved))
    if record.accurate is not None:
        return _("accurate") if record.accurate else _("not accurate")
    return ""
