"""The evidence as pages and text: one HTML page per framework, Markdown and JSON.

Pages are self-contained (inline styles, no script, nothing fetched), readable on a phone, and
use the shared presentation vocabulary: a status is a symbol, a word and a colour together.
They are written in the current language (:mod:`codesign.i18n`; ``codesign evidence`` follows
the charter's ``language:`` unless ``--lang`` or ``CODESIGN_LANG`` says otherwise): the pages'
``lang``, their sentences, the frameworks' and items' titles, dates; item ids and the JSON's
keys stay the same in every language.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

from codesign import i18n
from codesign.i18n import N_, _
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
    summary = " · ".join(mark_html(STATUS_MARKS[s], _count_text(s, counts[s])) for s in counts)
    items = "\n".join(_item_html(item, framework) for item in framework.items)
    return (
        f"<!DOCTYPE html>\n<html lang='{i18n.current_language()}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{esc(framework.title)} — {esc(evidence.title)}</title></head>"
        f"<body style='margin:0;background:{PAPER}'><main style=\"{_PAGE_STYLE}\">"
        f"<h1 style='font-size:1.5rem;margin:0 0 .25rem'>{esc(framework.title)}</h1>"
        f"<p style='margin:0 0 .5rem;color:{GREY_TEXT}'>{esc(evidence.title)} · "
        f"{esc(_candidate_text(evidence))} · {esc(_generated(evidence))}</p>"
        f"<p style='margin:0 0 .5rem;color:{GREY_TEXT};font-size:.9em'>"
        f"{esc(framework.reference)}</p>"
        f"<p role='status' style='padding:.5rem .75rem;background:{WASH};"
        f"border:1px solid {LINE};border-radius:6px'>{summary}</p>"
        f"{_required_html(evidence, framework)}{items}</main></body></html>\n"
    )


def _count_text(status: Status, count: int) -> str:
    """``3 evidenced``: a status count as the summary line says it."""
    words = {
        "evidenced": _("{count} evidenced", count=count),
        "partial": _("{count} partial", count=count),
        "missing": _("{count} missing", count=count),
    }
    return words[status]


def _candidate_text(evidence: Evidence) -> str:
    if evidence.candidate is None:
        return _("no iteration logged")
    return _("candidate iteration {name}", name=evidence.candidate)


def _generated(evidence: Evidence) -> str:
    """``generated 25/11/2026 08:00 (UTC)``, the date written the language's way."""
    return _("generated {when}", when=i18n.format_datetime(evidence.generated_at))


def _required_html(evidence: Evidence, framework: FrameworkEvidence) -> str:
    lacking = [i for i in evidence.required_missing() if i.id.startswith(framework.key + ".")]
    if not lacking:
        return ""
    names = ", ".join(i.id for i in lacking)
    colour = STATUS_MARKS["missing"].text_colour
    sentence = _("Required by the charter and not evidenced: {items}", items=names)
    return f"<p style='color:{colour};font-weight:600'>{esc(sentence)}</p>"


def _item_html(item: Item, framework: FrameworkEvidence) -> str:
    mark = STATUS_MARKS[item.status]
    number = item.id.removeprefix(framework.key + ".")
    content = "".join(f"<li>{esc(line)}</li>" for line in item.content)
    missing = "".join(f"<li>{esc(line)}</li>" for line in item.missing)
    sources = "; ".join(item.sources) if item.sources else _("nothing in the store")
    source_line = _("Source: {sources}", sources=sources)
    missing_word = _("Missing:")
    return (
        f"<section id='{esc(item.id)}' style='border:1px solid {LINE};border-left:6px solid "
        f"{mark.colour};border-radius:6px;padding:.5rem .75rem;margin:.75rem 0;"
        "overflow-wrap:anywhere'>"
        f"<h2 style='font-size:1.05rem;margin:0 0 .25rem'>{esc(number)}. {esc(item.title)}</h2>"
        f"<p style='margin:0 0 .25rem'>{mark_html(mark)}</p>"
        + (f"<ul style='margin:.25rem 0;padding-left:1.25rem'>{content}</ul>" if content else "")
        + (
            f"<p style='margin:.25rem 0 0;color:{mark.text_colour if item.missing else GREY}'>"
            f"<strong>{esc(missing_word)}</strong></p>"
            f"<ul style='margin:0;padding-left:1.25rem'>{missing}</ul>"
            if missing
            else ""
        )
        + f"<p style='margin:.25rem 0 0;color:{GREY_TEXT};font-size:.9em'>"
        f"{esc(source_line)}</p>"
        "</section>"
    )


def annex_markdown(evidence: Evidence) -> str:
    """Annex IV as Markdown: the 9 sections in order, each with content, sources, missing."""
    framework = evidence.framework("annex-iv")
    lines = [
        f"# {framework.title}",
        "",
        f"{evidence.title} · {_candidate_text(evidence)} · {_generated(evidence)}",
        "",
        f"_{framework.reference}_",
        "",
    ]
    for item in framework.items:
        mark = STATUS_MARKS[item.status]
        number = item.id.removeprefix("annex-iv.")
        status, missing = _("Status:"), _("Missing:")
        lines += [f"## {number}. {item.title}", "", f"**{status}** {mark.symbol} {mark.word}", ""]
        lines += [f"- {_md(line)}" for line in item.content]
        if item.missing:
            lines += ["", f"**{missing}**", ""]
            lines += [f"- {_md(line)}" for line in item.missing]
        source = "; ".join(item.sources) if item.sources else _("nothing in the store")
        source_line = _("Source: {sources}", sources=source)
        lines += ["", f"_{_md(source_line)}_", ""]
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
