"""The report's "Evidence" section: what the documents a regulator asks for would say today.

The report judges the evidence on the very standing it shows (no second read of the store), with
:func:`codesign.evidence.assess`, the judgement ``codesign evidence`` writes out in full: per
framework, how many items are evidenced, partial and missing, then the items the charter
requires that are not evidenced, then the first other gaps, so the team knows long before an
ethics board asks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from codesign.evidence import assess, facts_of
from codesign.evidence.render import STATUS_MARKS
from codesign.i18n import _
from codesign.presentation import esc, mark_html
from codesign.reports import markup
from codesign.reports.markup import Column

if TYPE_CHECKING:
    from codesign.charter.model import Charter
    from codesign.evidence.assess import Evidence, Item
    from codesign.exceptions import CodesignError
    from codesign.project import Project
    from codesign.tracking.reading import IterationRecord
    from codesign.tracking.standing import Standing

TOP_MISSING: Final = 8
"""Gaps listed in the report; ``codesign evidence`` lists them all."""


def judge(
    project: Project,
    charter: Charter,
    records: tuple[IterationRecord, ...],
    standing: Standing,
    feedback_records: int,
) -> Evidence:
    """The evidence of the project on the standing the report shows."""
    facts = facts_of(project, charter, records, standing, feedback_records=feedback_records)
    return assess(facts, generated_at=None)


def evidence_html(evidence: Evidence) -> tuple[str, str]:
    """The section's HTML and plain text."""
    rows = []
    for framework in evidence.frameworks:
        counts = framework.counts()
        rows.append(
            (
                esc(framework.title),
                *(mark_html(STATUS_MARKS[s], str(counts[s])) for s in counts),
            )
        )
    table = markup.table(
        (
            Column(_("Framework")),
            Column(_("Evidenced"), "right"),
            Column(_("Partial"), "right"),
            Column(_("Missing"), "right"),
        ),
        rows,
    )
    required = evidence.required_missing()
    parts = [table]
    if required:
        parts.append(
            markup.callout(
                _(
                    "<strong>{n} item(s) the charter requires are not evidenced</strong> "
                    "(<code>evidence.required</code>; <code>codesign evidence --check</code> fails "
                    "until they are):",
                    n=len(required),
                )
                + _items_list(required),
                tone="warning",
            )
        )
    others = sorted(
        (
            item
            for framework in evidence.frameworks
            for item in framework.items
            if item.status != "evidenced" and item not in required
        ),
        key=lambda item: item.status != "missing",  # missing first, each in framework order
    )
    if others:
        shown = others[:TOP_MISSING]
        parts.append(
            markup.paragraph(_("<strong>First gaps</strong> ({count} in all):", count=len(others)))
            + _items_list(shown)
        )
    parts.append(
        markup.note(
            _(
                "<code>codesign evidence</code> writes the full documents: EU AI Act Annex IV "
                "(HTML, Markdown, Word), TRIPOD+AI, DECIDE-AI and the CHAI model card, each item "
                "with its source."
            )
        )
    )
    text = "; ".join(
        f"{f.title}: " + ", ".join(f"{n} {status}" for status, n in f.counts().items())
        for f in evidence.frameworks
    ) + (f"; required and not evidenced: {', '.join(i.id for i in required)}" if required else "")
    return "".join(parts), text


def _items_list(items: list[Item]) -> str:
    entries = []
    for item in items:
        lacking = item.missing[0] if item.missing else _("nothing in the project evidences it yet")
        entries.append(
            f"<li>{mark_html(STATUS_MARKS[item.status], STATUS_MARKS[item.status].word)} "
            f"<code>{esc(item.id)}</code> {esc(item.title)}: {esc(lacking)}</li>"
        )
    return f'<ul style="margin:0.2em 0 0.6em 1.2em;padding:0">{"".join(entries)}</ul>'


def unavailable(error: CodesignError | str) -> tuple[str, str]:
    """What the section says when the evidence cannot be judged (the store is unreadable)."""
    text = _("evidence not judged: {error}", error=error)
    return markup.paragraph(f"<em>{esc(text)}</em>"), text
