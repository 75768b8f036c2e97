"""The shared presentation vocabulary: one word, symbol and colour per verdict, readable by all."""

from __future__ import annotations

import pytest

from codesign import presentation
from codesign.presentation import (
    GATE_VERDICTS,
    PAPER,
    TONES,
    VERDICTS,
    css_variables,
    esc,
    mark_html,
    number,
    text_table,
    verdict_of,
)


def _luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str = PAPER) -> float:
    """WCAG 2 contrast ratio of two colours."""
    high, low = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper_matches_known_ratios() -> None:
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(
    "mark", [*VERDICTS.values(), *GATE_VERDICTS.values()], ids=lambda m: m.word
)
def test_every_status_text_reaches_wcag_aa_on_white(mark: presentation.Mark) -> None:
    assert contrast(mark.text_colour) >= 4.5


@pytest.mark.parametrize("tone", sorted(TONES))
def test_every_tone_text_reaches_wcag_aa(tone: str) -> None:
    assert contrast(TONES[tone][1]) >= 4.5  # type: ignore[index]


def test_marks_are_okabe_ito_and_never_colour_alone() -> None:
    okabe_ito = {presentation.BLUISH_GREEN, presentation.VERMILLION, presentation.GREY}
    for mark in VERDICTS.values():
        assert mark.colour in okabe_ito
        assert mark.symbol
        assert mark.word
        assert mark.ascii.isascii()
    html = mark_html(VERDICTS["not met"])
    assert "✗" in html
    assert "Not met" in html


def test_verdict_of_a_met_flag() -> None:
    assert [verdict_of(True), verdict_of(False), verdict_of(None)] == [
        "met",
        "not met",
        "not measured",
    ]


def test_text_in_marks_is_escaped() -> None:
    assert "<script>" not in mark_html(VERDICTS["met"], "<script>alert(1)</script>")
    assert esc("a'b\"<") == "a&#x27;b&quot;&lt;"


def test_numbers_read_with_sensible_precision() -> None:
    assert [number(0.91234), number(12.345), number(123.4), number(None)] == [
        "0.912",
        "12.3",
        "123",
        "-",
    ]


def test_text_table_aligns_columns() -> None:
    table = text_table(["a", "bb"], [["xxx", "y"]])
    assert table.splitlines() == ["a    bb", "---  --", "xxx  y"]


def test_css_variables_hold_the_palette() -> None:
    css = css_variables()
    assert css.startswith(":root {")
    assert f"--good: {VERDICTS['met'].text_colour};" in css
