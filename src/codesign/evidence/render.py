"""The evidence as pages and text: one HTML page per framework, Markdown and JSON.

Pages are self-contained (inline styles, no script, nothing fetched), readable on a phone, and
use the shared presentation vocabulary: a status is a symbol, a word and a colour together.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

from codesign.i18n import N_
from codesign.presentation import (
    GREY,
    GREY_TEXT,
    INK,
    LINE,
    PAPER,
    TONES,
    WASH,
    Mark,
    esc,
    mark_html,
)
from codesign.timeutil import iso_utc

if TYPE_CHECKING:
    from codesign.evidence.assess import Evidence, FrameworkEvidence, Item, Status

STATUS_MARKS: Final[dict[Status, Mark]] = {
    "evidenced": Mark("✓", N_("Evidenced"), *TONES["good"], "ok"),
    "partial": Mark("◐", N_("Partial"), *TONES["warning"], "partial"),
    "missing": Mark("✗", N_("Missing"), *TONES["bad"], "MISSING"),
}
"""How an item's status reads in every evidence document."""

_PAGE_STYLE: Final = (
    f"margin:0 auto;max-width:60rem;padding:1rem;font-family:system-ui,-apple-system,"
    f"'Segoe UI',Roboto,sans-serif;color:{INK};background:{PAPER};line-height:1.45"
)


def framework_html(evidence: Evidence, key: str) -> str:
    """The page of one framework: a summary, then every item with its status and sources."""
    framework = evidence.framework(key)
    counts = framework.counts()
    summary = " · ".join(
        mark_html(STATUS_MARKS[s], f"{counts[s]} {STATUS_MARKS[s].word.lower()}") for s in counts
    )
    items = "\n".join(_item_html(item, framework) for item in framework.items)
    return (
        "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(framework.title)} — {esc(evidence.title)}</title></head>"
        f"<body style='margin:0;background:{PAPER}'><main style=\"{_PAGE_STYLE}\">"
        f"<h1 style='font-size:1.5rem;margin:0 0 .25rem'>{esc(framework.title)}</h1>"
        f"<p style='margin:0 0 .5rem;color:{GREY_TEXT}'>{esc(evidence.title)} · "
        f"{esc(_candidate_text(evidence))} · generated {esc(iso_utc(evidence.generated_at))}</p>"
        f"<p style='margin:0 0 .5rem;color:{GREY_TEXT};font-size:.9em'>"
        f"{esc(framework.reference)}</p>"
        f"<p role='status' style='padding:.5rem .75rem;background:{WASH};"
        f"border:1px solid {LINE};border-radius:6px'>{summary}</p>"
        f"{_required_html(evidence, framework)}{items}</main></body></html>\n"
    )


def _candidate_text(evidence: Evidence) -> str:
    if evidence.candidate is None:
        return "no iteration logged"
    return f"candidate iteration {evidence.candidate}"


def _required_html(evidence: Evidence, framework: FrameworkEvidence) -> str:
    lacking = [i for i in evidence.required_missing() if i.id.startswith(framework.key + ".")]
    if not lacking:
        return ""
    names = ", ".join(esc(i.id) for i in lacking)
    colour = STATUS_MARKS["missing"].text_colour
    return (
        f"<p style='color:{colour};font-weight:600'>Required by the charter and not "
        f"evidenced: {names}</p>"
    )


def _item_html(item: Item, framework: FrameworkEvidence) -> str:
    mark = STATUS_MARKS[item.status]
    number = item.id.removeprefix(framework.key + ".")
    content = "".join(f"<li>{esc(line)}</li>" for line in item.content)
    missing = "".join(f"<li>{esc(line)}</li>" for line in item.missing)
    sources = esc("; ".join(item.sources)) if item.sources else "nothing in the store"
    return (
        f"<section id='{esc(item.id)}' style='border:1px solid {LINE};border-left:6px solid "
        f"{mark.colour};border-radius:6px;padding:.5rem .75rem;margin:.75rem 0;"
        "overflow-wrap:anywhere'>"
        f"<h2 style='font-size:1.05rem;margin:0 0 .25rem'>{esc(number)}. {esc(item.title)}</h2>"
        f"<p style='margin:0 0 .25rem'>{mark_html(mark)}</p>"
        + (f"<ul style='margin:.25rem 0;padding-left:1.25rem'>{content}</ul>" if content else "")
        + (
            f"<p style='margin:.25rem 0 0;color:{mark.text_colour if item.missing else GREY}'>"
            f"<strong>Missing:</strong></p><ul style='margin:0;padding-left:1.25rem'>{missing}</ul>"
            if missing
            else ""
        )
        + f"<p style='margin:.25rem 0 0;color:{GREY_TEXT};font-size:.9em'>Source: {sources}</p>"
        "</section>"
    )


def annex_markdown(evidence: Evidence) -> str:
    """Annex IV as Markdown: the 9 sections in order, each with content, sources, missing."""
    framework = evidence.framework("annex-iv")
    lines = [
        f"# {framework.title}",
        "",
        f"{evidence.title} · {_candidate_text(evidence)} · generated "
        f"{iso_utc(evidence.generated_at)}",
        "",
        f"_{framework.reference}_",
        "",
    ]
    for item in framework.items:
        mark = STATUS_MARKS[item.status]
        number = item.id.removeprefix("annex-iv.")
        lines += [f"## {number}. {item.title}", "", f"**Status:** {mark.symbol} {mark.word}", ""]
        lines += [f"- {_md(line)}" for line in item.content]
        if item.missing:
            lines += ["", "**Missing:**", ""]
            lines += [f"- {_md(line)}" for line in item.missing]
        source = "; ".join(item.sources) if item.sources else "nothing in the store"
        lines += ["", f"_Source: {_md(source)}_", ""]
    return "\n".join(lines)


def _md(text: str) -> str:
    """Text a person wrote, with Markdown's active characters escaped."""
    out = text
    for char in "\\`*_[]<>#|":
        out = out.replace(char, "\\" + char)
    return out


def evidence_json(evidence: Evidence) -> str:
    """Every item, its status and its source, for machines."""
    return json.dumps(evidence.to_json(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"
