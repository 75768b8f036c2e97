"""The dashboard's summary charts as data for inline SVG: bars with their label, count and width.

Charts are drawn as inline SVG by the page template, so the dashboard needs no plotting
library, no image file and no network, prints sharply and stays a few kilobytes. Each bar can
carry the filter it stands for, so activating it filters the table on what it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.portfolio.model import BANDS, FLAG_LABELS, UNDECIDED

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from codesign.portfolio.model import Summary

WIDTH: Final = 260
"""Width of a chart in SVG units: at about its size on screen, so its text reads at 12-13 px."""
BAR_AREA: Final = WIDTH - 12.0
"""Width of the longest bar, under its label."""
ROW_HEIGHT: Final = 34


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    width: float
    y: int
    tone: str = ""
    """CSS class: ``good``, ``bad``, ``muted`` or empty."""
    filter: str | None = None
    """The table filter this bar sets (``stage``, ``decision``, ``governance``, ``flag``)."""
    value: str | None = None


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    bars: tuple[Bar, ...]

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW_HEIGHT

    @property
    def description(self) -> str:
        """The chart in words, for screen readers: ``idea 3, pilot 5``."""
        return ", ".join(f"{bar.label} {bar.count}" for bar in self.bars) or "nothing to count"


def bars(
    counts: Sequence[tuple[str, int]],
    *,
    tones: Mapping[str, str] | None = None,
    filter_name: str | None = None,
    values: Mapping[str, str] | None = None,
) -> tuple[Bar, ...]:
    """Bars scaled to the largest count (an empty bar for a zero)."""
    largest = max((count for _, count in counts), default=0)
    return tuple(
        Bar(
            label=label,
            count=count,
            width=round(BAR_AREA * count / largest, 1) if largest else 0.0,
            y=index * ROW_HEIGHT,
            tone=(tones or {}).get(label, ""),
            filter=filter_name,
            value=(values or {}).get(label, label) if filter_name else None,
        )
        for index, (label, count) in enumerate(counts)
    )


def summary_charts(summary: Summary) -> tuple[Chart, ...]:
    """Initiatives per stage, per decision, per share of outcomes met, per governance status,
    and per flag."""
    governance_tones = {"passed": "good", "failed": "bad", "not run": "muted", "unreadable": "bad"}
    return (
        Chart(
            "stage",
            "Initiatives per stage",
            bars(list(summary.by_stage.items()), filter_name="stage"),
        ),
        Chart(
            "decision",
            "Build, buy or partner",
            bars(
                list(summary.by_decision.items()),
                tones={UNDECIDED: "muted"},
                filter_name="decision",
            ),
        ),
        Chart(
            "outcomes",
            "Outcomes met on the latest iteration",
            bars(
                [(band, summary.by_outcomes[band]) for band in BANDS],
                tones={BANDS[0]: "good", BANDS[3]: "bad", BANDS[4]: "muted"},
                filter_name="outcomes",
            ),
        ),
        Chart(
            "governance",
            "Governance gate",
            bars(
                list(summary.by_governance.items()),
                tones=governance_tones,
                filter_name="governance",
                values={"unreadable": "unknown"},
            ),
        ),
        Chart(
            "flags",
            "Flags to act on",
            bars(
                [(FLAG_LABELS[code], count) for code, count in summary.by_flag.items()],
                tones={FLAG_LABELS[code]: "bad" for code in summary.by_flag},
                filter_name="flag",
                values={FLAG_LABELS[code]: code.value for code in summary.by_flag},
            ),
        ),
    )
