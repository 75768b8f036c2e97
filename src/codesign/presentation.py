"""The presentation vocabulary every view shares: verdict words and symbols, colours, numbers.

A verdict reads the same wherever a person meets it (a notebook table, a report, the
portfolio, a workshop form, a terminal): the same word, the same symbol and the same colour, so
"met" never turns green in one place and blue in another. Colours come from the Okabe–Ito
palette (Okabe & Ito 2008, "Color Universal Design"), which people with any common colour
blindness tell apart, and a verdict is never carried by colour alone: the symbol and the word are
always shown with it.

Two shades of each colour: the palette's own, for marks and chart lines, and a darker text shade
of the same hue that reaches the WCAG AA contrast for body text (4.5:1 on white) — the
palette's green and vermillion alone do not.

Words are written in the reader's language (:mod:`codesign.i18n`): a mark holds its word as a
catalogue message and says it in the current language; numbers go through Babel.

This module is on the ground floor: it imports only :mod:`codesign.i18n` of codesign, so every
layer may use it.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from codesign import i18n
from codesign.i18n import N_

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

# Okabe & Ito (2008): distinguishable with any common colour blindness.
BLUE: Final = "#0072B2"
VERMILLION: Final = "#D55E00"
BLUISH_GREEN: Final = "#009E73"
ORANGE: Final = "#E69F00"
SKY_BLUE: Final = "#56B4E9"
GREY: Final = "#6E6E6E"
INK: Final = "#1F1F1F"

# The same hues, darkened to >= 4.5:1 on white (WCAG AA) for text.
GREEN_TEXT: Final = "#006B4F"
VERMILLION_TEXT: Final = "#A84A00"
ORANGE_TEXT: Final = "#8A5A00"
BLUE_TEXT: Final = "#005A8C"
GREY_TEXT: Final = "#595959"

PAPER: Final = "#FFFFFF"
WASH: Final = "#F6F8FA"
"""A light background behind headers and table heads."""
LINE: Final = "#D0D7DE"

MISSING: Final = "–"
"""What an empty cell shows: no value to show (not zero, not a failure)."""
ASCII_MISSING: Final = "-"
"""The same in plain ASCII, for terminals and logs."""

Verdict = Literal["met", "not met", "not measured"]
GateVerdict = Literal["passed", "failed", "not run"]
Tone = Literal["good", "bad", "neutral", "warning"]


@dataclass(frozen=True)
class Mark:
    """How one status reads: symbol, word, mark colour, text colour, and a terminal form."""

    symbol: str
    label: str
    """The word as written in the catalogue (English); :attr:`word` says it in the language."""
    colour: str
    text_colour: str
    ascii: str
    """The mark in plain ASCII, for a CI log or a Windows console."""

    @property
    def word(self) -> str:
        """The word in the current language: "Met", "Atteint"."""
        return i18n._(self.label)


TONES: Final[dict[Tone, tuple[str, str]]] = {
    "good": (BLUISH_GREEN, GREEN_TEXT),
    "bad": (VERMILLION, VERMILLION_TEXT),
    "warning": (ORANGE, ORANGE_TEXT),
    "neutral": (GREY, GREY_TEXT),
}
"""Mark colour and text colour of each tone."""

VERDICTS: Final[dict[Verdict, Mark]] = {
    "met": Mark("✓", N_("Met"), BLUISH_GREEN, GREEN_TEXT, "ok"),
    "not met": Mark("✗", N_("Not met"), VERMILLION, VERMILLION_TEXT, "NO"),
    "not measured": Mark(MISSING, N_("Not measured yet"), GREY, GREY_TEXT, "-"),
}
"""The verdict of an outcome against its target, as every view shows it."""

GATE_VERDICTS: Final[dict[GateVerdict, Mark]] = {
    "passed": Mark("✓", N_("Passed"), BLUISH_GREEN, GREEN_TEXT, "passed"),
    "failed": Mark("✗", N_("Failed"), VERMILLION, VERMILLION_TEXT, "FAILED"),
    "not run": Mark(MISSING, N_("Not run"), GREY, GREY_TEXT, "not run"),
}
"""The governance gate's verdict on a data set, as every view shows it."""


def verdict_of(met: bool | None) -> Verdict:
    """The verdict word of a met flag (``None``: not measured)."""
    if met is None:
        return "not measured"
    return "met" if met else "not met"


def verdict_counts(verdicts: Iterable[Verdict]) -> dict[Verdict, int]:
    """How many of ``verdicts`` are met, not met and not measured (all three keys, in order)."""
    counts: dict[Verdict, int] = {"met": 0, "not met": 0, "not measured": 0}
    for verdict in verdicts:
        counts[verdict] += 1
    return counts


def esc(value: object) -> str:
    """``value`` as HTML text, quotes escaped too (safe inside attributes)."""
    return html.escape(str(value), quote=True)


def format_number(value: float | None, *, language: i18n.Language | None = None) -> str:
    """A measured value as every view writes it: ``0.979``, ``80.6``, ``3.92``; ``–`` if none.

    The one number formatter of codesign: ``compare``, the report, the portfolio, notebooks and
    ``promote`` write a value through it, so the same value reads the same everywhere. Three
    digits after the point under 10 (proportions, trust on 1 to 5), one under 100 (SUS,
    minutes), none above; trailing zeros dropped; written for the language (``0,979`` in
    French) by :func:`codesign.i18n.format_decimal`.
    """
    if value is None or not math.isfinite(value):
        return MISSING
    size = abs(value)
    places = 0 if size >= 100 else 1 if size >= 10 else 3
    return i18n.format_decimal(value, places, language=language)


def format_share(value: float | None, *, language: i18n.Language | None = None) -> str:
    """A share (0 to 1) as a percentage for people: ``95%``, ``95 %`` in French; ``–`` if none."""
    if value is None or not math.isfinite(value):
        return MISSING
    return i18n.format_percent(value, 0 if abs(value) >= 0.1 else 1, language=language)


def format_target(target: object, *, language: i18n.Language | None = None) -> str:
    """A target as the charter writes it (``>= 0.75``), its number for the language.

    ``>= 0,75`` in French; the operator and the decimals written stay (``0.90`` keeps its
    zero); a target that is not an operator and a number is returned as it is.
    """
    text = str(target).strip()
    for operator in (">=", "<=", "==", ">", "<"):
        if text.startswith(operator):
            written = i18n.format_written_number(text[len(operator) :].strip(), language=language)
            return f"{operator} {written}"
    return text


def number(value: float | None) -> str:
    """:func:`format_number` for plain-text tables, where a missing value is ``-``."""
    return ASCII_MISSING if value is None else format_number(value)


def mark_html(mark: Mark, text: str | None = None, *, bold: bool = True) -> str:
    """A status as HTML: symbol and word (or ``text``, escaped) in the mark's text colour."""
    weight = "font-weight:600;" if bold else ""
    label = esc(mark.word if text is None else text)
    return f"<span style='color:{mark.text_colour};{weight}'>{mark.symbol} {label}</span>"


def css_variables() -> str:
    """The palette as CSS custom properties, for pages with a stylesheet (the portfolio)."""
    pairs = {
        "--ink": INK,
        "--paper": PAPER,
        "--line": LINE,
        "--wash": WASH,
        "--muted": GREY_TEXT,
        "--accent": BLUE_TEXT,
        "--good": GREEN_TEXT,
        "--bad": VERMILLION_TEXT,
        "--warn": ORANGE_TEXT,
        "--good-mark": BLUISH_GREEN,
        "--bad-mark": VERMILLION,
        "--warn-mark": ORANGE,
        "--bar": BLUE,
    }
    return ":root {\n" + "".join(f"  {name}: {value};\n" for name, value in pairs.items()) + "}\n"


def text_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain-text table for a terminal: left-aligned columns, two spaces apart."""
    widths = [max(len(str(r[i])) for r in (header, *rows)) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)])


TABLE_STYLE: Final = 'style="border-collapse:collapse;font-size:0.9em"'
"""Inline style of a compact notebook table (no stylesheet in a notebook output)."""
CELL_STYLE: Final = f'style="padding:2px 10px;text-align:{{align}};border-bottom:1px solid {LINE}"'
"""Inline style of its cells; ``align`` is ``left`` (words) or ``right`` (numbers)."""
