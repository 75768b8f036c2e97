"""The hazard log in the report: a 5×5 risk matrix before and after controls, and the log itself.

A clinical safety officer reads a risk matrix at a glance: severity up the side, likelihood
along the bottom, each hazard placed in its cell, the cell tinted by its acceptability band.
Two matrices side by side show what the controls buy: where each hazard starts, and where it
sits once its controls are in place (a hazard whose residual risk is not assessed yet is listed
under the second matrix, never silently dropped).

The matrices are HTML tables, not pictures: they print, zoom and copy like the rest of the
report, and a screen reader reads them cell by cell (each cell's label says its band in words).
Each cell shows its score, and the legend under the matrices gives the band of each score range,
so the tint is never the only carrier of meaning; the hazard log states every band in words.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from codesign.charter.risk import LIKELIHOOD_WORDS, SEVERITY_WORDS, band_of
from codesign.i18n import N_, _, ngettext
from codesign.presentation import (
    GREEN_TEXT,
    GREY_TEXT,
    INK,
    LINE,
    ORANGE_TEXT,
    VERMILLION_TEXT,
    esc,
)
from codesign.reports import markup
from codesign.reports.markup import Column

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from codesign.charter.model import Charter
    from codesign.charter.risk import Band, Hazard
    from codesign.tracking.standing import Standing

LEVELS: Final = (1, 2, 3, 4, 5)
BAND_STYLE: Final[dict[Band, tuple[str, str, str]]] = {
    "acceptable": ("#DDF2EA", GREEN_TEXT, N_("acceptable")),
    "ALARP": ("#FBEBC8", ORANGE_TEXT, N_("ALARP")),
    "unacceptable": ("#F9DCCB", VERMILLION_TEXT, N_("unacceptable")),
}
"""Cell tint (light Okabe–Ito green, orange, vermillion), text colour (AA on the tint) and word
(a catalogue message: say it with ``_()``)."""

Placed = dict[tuple[int, int], list[str]]
"""(severity, likelihood) → hazard ids in that cell."""


def placed(
    hazards: Sequence[Hazard], levels: Callable[[Hazard], tuple[int | None, int | None]]
) -> tuple[Placed, list[str]]:
    """Each hazard's cell by ``levels`` (severity, likelihood), and the ids without one."""
    cells: Placed = {}
    unplaced: list[str] = []
    for hazard in hazards:
        severity, likelihood = levels(hazard)
        if severity is None or likelihood is None:
            unplaced.append(hazard.id)
        else:
            cells.setdefault((severity, likelihood), []).append(hazard.id)
    return cells, unplaced


def matrix_html(title: str, cells: Placed) -> str:
    """One 5×5 matrix: severity 5 (top) to 1, likelihood 1 (left) to 5, hazards in their cells."""
    th = (
        f'style="padding:2px 4px;font-weight:600;color:{INK};font-size:0.75em;'
        'text-align:center;line-height:1.15"'
    )
    severity_head, likelihood_head = _("severity ↓"), _("likelihood →")
    head = "".join(
        f"<th scope='col' {th}>{level}<br><span style='font-weight:400'>"
        f"{esc(_(LIKELIHOOD_WORDS[level]))}</span></th>"
        for level in LEVELS
    )
    rows = []
    for severity in reversed(LEVELS):
        row = (
            f"<th scope='row' {th}>{severity}<br><span style='font-weight:400'>"
            f"{esc(_(SEVERITY_WORDS[severity]))}</span></th>"
        )
        for likelihood in LEVELS:
            row += _cell(severity, likelihood, cells.get((severity, likelihood), []))
        rows.append(f"<tr>{row}</tr>")
    caption = (
        f'<caption style="caption-side:top;text-align:left;font-weight:600;padding:0 0 4px 0;'
        f'color:{INK}">{esc(title)}</caption>'
    )
    return (
        f'<table style="border-collapse:collapse;margin:0 1.2em 0.6em 0;font-size:0.9em">'
        f"{caption}<thead><tr><th {th}>{esc(severity_head)}<br>{esc(likelihood_head)}</th>"
        f"{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _cell(severity: int, likelihood: int, ids: Sequence[str]) -> str:
    score = severity * likelihood
    tint, text, word = BAND_STYLE[band_of(score)]
    content = "<br>".join(f"<strong>{esc(i)}</strong>" for i in ids)
    label = (
        _("score {score}, {band}: {hazards}", score=score, band=_(word), hazards=", ".join(ids))
        if ids
        else _("score {score}, {band}", score=score, band=_(word))
    )
    return (
        f'<td title="{esc(label)}" aria-label="{esc(label)}" style="background:{tint};'
        f"color:{INK};border:1px solid {LINE};min-width:3.4em;height:2.4em;text-align:center;"
        f'vertical-align:middle;padding:2px 3px">{content}'
        f'<div style="color:{text};font-size:0.7em">{score}</div></td>'
    )


def legend_html() -> str:
    """Which scores fall in which band, with the band's tint: the key to both matrices."""
    ranges = {"acceptable": "1–4", "ALARP": "5–12", "unacceptable": "15–25"}
    swatches = " ".join(
        f'<span style="background:{tint};color:{text};border:1px solid {LINE};padding:1px 6px;'
        f'white-space:nowrap">{ranges[band]} {esc(_(word))}</span>'
        for band, (tint, text, word) in BAND_STYLE.items()
    )
    return markup.note(
        _(
            "Score = severity × likelihood. {bands}. ALARP: tolerable only once reduced as low as "
            "reasonably practicable.",
            bands=swatches,
        )
    )


def risks_html(charter: Charter, standing: Standing | None) -> tuple[str, str]:
    """The section's HTML and plain text: the two matrices, then the log."""
    hazards = charter.risks
    if not hazards:
        html = markup.paragraph(
            _(
                "<em>No hazard is logged yet.</em> The workshop lists what can go wrong for a "
                "patient, how likely and how serious it is, and what is done about it (charter "
                "field <code>risks</code>)."
            )
        )
        return html, "no hazard logged"
    before, _unplaced = placed(hazards, lambda h: (h.severity, h.likelihood))
    after, unassessed = placed(hazards, lambda h: (h.residual_severity, h.residual_likelihood))
    matrices = (
        '<div style="display:flex;flex-wrap:wrap;align-items:flex-start">'
        + matrix_html(_("Before controls"), before)
        + matrix_html(_("After controls (residual risk)"), after)
        + "</div>"
        + legend_html()
    )
    if unassessed:
        matrices += markup.note(
            esc(
                ngettext(
                    "Residual risk not assessed yet for: {hazards}; it is missing from the "
                    "second matrix.",
                    "Residual risk not assessed yet for: {hazards}; they are missing from the "
                    "second matrix.",
                    len(unassessed),
                    hazards=", ".join(unassessed),
                )
            )
        )
    html = matrices + _log_table(hazards, standing)
    counts = {band: sum(1 for h in hazards if h.band == band) for band in BAND_STYLE}
    residual = {band: sum(1 for h in hazards if h.residual_band == band) for band in BAND_STYLE}
    text = (
        f"{len(hazards)} hazard(s); before controls: "
        + ", ".join(f"{n} {band}" for band, n in counts.items())
        + "; after: "
        + ", ".join(f"{n} {band}" for band, n in residual.items())
        + (f"; {len(unassessed)} not assessed" if unassessed else "")
    )
    return html, text


def _log_table(hazards: Sequence[Hazard], standing: Standing | None) -> str:
    rows = []
    none_yet = _("none yet")
    for hazard in hazards:
        residual = (
            esc(_("not assessed"))
            if hazard.residual_score is None or hazard.residual_band is None
            else _band_text(hazard.residual_score, hazard.residual_band)
        )
        controls = "; ".join(
            esc(c.measure) + (f" ({esc(c.owner)})" if c.owner else "") for c in hazard.controls
        )
        rows.append(
            (
                f"<strong>{esc(hazard.id)}</strong>",
                esc(hazard.hazard)
                + (f"<br><em>{esc(hazard.effect)}</em>" if hazard.effect else ""),
                _band_text(hazard.score, hazard.band),
                controls or f'<span style="color:{GREY_TEXT}">{esc(none_yet)}</span>',
                residual,
                _monitoring(hazard, standing),
            )
        )
    # A phone scrolls the log sideways inside its box, never the whole report.
    return (
        '<div style="overflow-x:auto;max-width:100%">'
        + markup.table(
            (
                Column(_("Id")),
                Column(_("Hazard (effect on the patient)")),
                Column(_("Risk")),
                Column(_("Controls (owner)")),
                Column(_("Residual risk")),
                Column(_("Monitored by")),
            ),
            rows,
        )
        + "</div>"
    )


def _band_text(score: int, band: Band) -> str:
    text, word = BAND_STYLE[band][1:]
    return (
        f'<span style="color:{text};font-weight:600;white-space:nowrap">{score} {esc(_(word))}'
        "</span>"
    )


def _monitoring(hazard: Hazard, standing: Standing | None) -> str:
    if not hazard.monitoring:
        none = _("no outcome")
        return f'<span style="color:{GREY_TEXT}">{esc(none)}</span>'
    parts = []
    for outcome_id in hazard.monitoring:
        judged = standing.outcome(outcome_id) if standing is not None else None
        verdict = markup.status_mark(judged.verdict) if judged is not None else ""
        parts.append(f"{esc(outcome_id)} {verdict}".strip())
    return "<br>".join(parts)
