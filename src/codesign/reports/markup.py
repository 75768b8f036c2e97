"""The small HTML vocabulary of a report: tables, status marks, notes, call-outs.

Reports are read in JupyterLab, in the exported HTML file and in a browser's print preview, so
every style is inline (no stylesheet to lose) and every status is said three ways at once: a
symbol, a word and a colour from the Okabe-Ito palette, which people with any common form of
colour blindness tell apart. Colour is never the only carrier of meaning.

Every piece of text that comes from a charter, a gate result or an iteration name goes through
:func:`esc`; nothing here reads patient data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from codesign.presentation import (
    BLUE,
    GREY_TEXT,
    ORANGE,
    VERDICTS,
    VERMILLION,
    Verdict,
    esc,
    format_number,
    format_target,
    verdict_of,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

Status = Verdict
"""A verdict, as :mod:`codesign.presentation` names it."""

_TABLE: Final = (
    'style="border-collapse:collapse;margin:0.4em 0 0.8em 0;font-size:0.95em;line-height:1.35"'
)
_TH: Final = (
    'style="text-align:{align};padding:4px 12px 4px 0;border-bottom:2px solid #bbb;'
    'vertical-align:bottom"'
)
_TD: Final = (
    'style="text-align:{align};padding:4px 12px 4px 0;border-bottom:1px solid #e2e2e2;'
    'vertical-align:top"'
)

Align = Literal["left", "right", "center"]


@dataclass(frozen=True)
class Column:
    """A table column: its header and alignment (numbers right, words left)."""

    header: str
    align: Align = "left"


def table(columns: Sequence[Column], rows: Iterable[Sequence[str]]) -> str:
    """An HTML table; cells are HTML already (escape text with :func:`esc` first)."""
    head = "".join(f"<th {_TH.format(align=c.align)}>{esc(c.header)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td {_TD.format(align=c.align)}>{cell}</td>"
            for c, cell in zip(columns, row, strict=True)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table {_TABLE}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def status_mark(status: Status) -> str:
    """``✓ Met`` / ``✗ Not met`` / ``– Not measured yet``, in the verdict's text colour."""
    mark = VERDICTS[status]
    return (
        f'<span style="color:{mark.text_colour};font-weight:600;white-space:nowrap">'
        f"{mark.symbol} {esc(mark.word)}</span>"
    )


status_of = verdict_of


def note(text: str) -> str:
    """A short grey remark under a table or chart (``text`` is HTML)."""
    return f'<p style="color:{GREY_TEXT};font-size:0.85em;margin:0.2em 0 0.8em 0">{text}</p>'


def paragraph(text: str) -> str:
    """A paragraph (``text`` is HTML)."""
    return f'<p style="margin:0.3em 0">{text}</p>'


def callout(text: str, *, tone: Literal["info", "warning", "problem"] = "info") -> str:
    """A boxed message: information (blue), something to act on (orange), a failure."""
    colour = {"info": BLUE, "warning": ORANGE, "problem": VERMILLION}[tone]
    return (
        f'<div style="border-left:5px solid {colour};background:#f7f7f7;padding:8px 12px;'
        f'margin:0.5em 0">{text}</div>'
    )


def bar(fraction: float, *, colour: str = BLUE, width_px: int = 160) -> str:
    """A horizontal bar of ``fraction`` (0 to 1) of ``width_px``, drawn with CSS only."""
    filled = round(max(0.0, min(1.0, fraction)) * width_px)
    return (
        f'<span style="display:inline-block;width:{width_px}px;height:0.8em;background:#e8e8e8;'
        f'vertical-align:middle;margin-right:6px"><span style="display:block;width:{filled}px;'
        f'height:100%;background:{colour}"></span></span>'
    )


def value_text(value: float | None) -> str:
    """A measured value as people read it: ``0.97``, ``81.2``, ``3.5``; ``–`` when missing.

    :func:`codesign.presentation.format_number`, the one formatter of every view.
    """
    return format_number(value)


def pretty_target(target: object) -> str:
    """``>= 0.95`` as ``≥ 0.95`` (``≥ 0,95`` in French): the symbols people write by hand.

    :func:`codesign.presentation.format_target` writes the number (its decimals kept:
    ``0.90`` stays ``0.90``); only the operator is drawn here.
    """
    text = format_target(target)
    for ascii_op, symbol in ((">=", "≥"), ("<=", "≤")):
        if text.startswith(ascii_op):
            return symbol + text[len(ascii_op) :]
    return text
