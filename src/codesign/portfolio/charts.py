"""The dashboard's summary charts as data for inline SVG: bars with their label, count and width.

Charts are drawn as inline SVG by the page template, so the dashboard needs no plotting
library, no image file and no network, prints sharply and stays a few kilobytes. Each bar can
carry the filter it stands for, so activating it filters the table on what it counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign import i18n
from codesign.charter.model import DecisionOption, Stage
from codesign.i18n import N_
from codesign.portfolio.model import BANDS, UNDECIDED, FlagCode, flag_label

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence

    from codesign.portfolio.model import Summary

WIDTH: Final = 260
"""Width of a chart in SVG units: at about its size on screen, so its text reads at 12-13 px."""
BAR_AREA: Final = WIDTH - 12.0
"""Width of the longest bar, under its label."""
ROW_HEIGHT: Final = 34

UNDECIDED_LABEL: Final = N_("undecided")
GOVERNANCE_LABELS: Final = {
    "passed": N_("passed"),
    "failed": N_("failed"),
    "not run": N_("not run"),
    "unknown": N_("unknown"),
    "unreadable": N_("unreadable"),
}
"""The governance states as the dashboard words them (its filters and charts keep the keys)."""


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
        described = ", ".join(f"{bar.label} {bar.count}" for bar in self.bars)
        return described or i18n._("nothing to count")


def bars(
    counts: Sequence[tuple[str, int]],
    *,
    tones: Mapping[str, str] | None = None,
    filter_name: str | None = None,
    values: Mapping[str, str] | None = None,
    labels: Callable[[str], str] = i18n._,
) -> tuple[Bar, ...]:
    """Bars scaled to the largest count (an empty bar for a zero).

    ``counts`` are keyed by stable English keys (a stage, a band, a flag code): ``tones`` and
    ``values`` (the filter value, the key itself by default) are looked up by key, and
    ``labels`` says each key in the reader's language.
    """
    largest = max((count for _key, count in counts), default=0)
    return tuple(
        Bar(
            label=labels(key),
            count=count,
            width=round(BAR_AREA * count / largest, 1) if largest else 0.0,
            y=index * ROW_HEIGHT,
            tone=(tones or {}).get(key, ""),
            filter=filter_name,
            value=(values or {}).get(key, key) if filter_name else None,
        )
        for index, (key, count) in enumerate(counts)
    )


def summary_charts(summary: Summary) -> tuple[Chart, ...]:
    """Initiatives per stage, per decision, per share of outcomes met, per governance status,
    and per flag, titled and labelled in the reader's language."""
    governance_tones = {"passed": "good", "failed": "bad", "not run": "muted", "unreadable": "bad"}
    return (
        Chart(
            "stage",
            i18n._("Initiatives per stage"),
            bars(list(summary.by_stage.items()), filter_name="stage", labels=stage_label),
        ),
        Chart(
            "decision",
            i18n._("Build, buy or partner"),
            bars(
                list(summary.by_decision.items()),
                tones={UNDECIDED: "muted"},
                filter_name="decision",
                labels=decision_label,
            ),
        ),
        Chart(
            "outcomes",
            i18n._("Outcomes met on the latest iteration"),
            bars(
                [(band, summary.by_outcomes[band]) for band in BANDS],
                tones={BANDS[0]: "good", BANDS[3]: "bad", BANDS[4]: "muted"},
                filter_name="outcomes",
            ),
        ),
        Chart(
            "governance",
            i18n._("Governance gate"),
            bars(
                list(summary.by_governance.items()),
                tones=governance_tones,
                filter_name="governance",
                values={"unreadable": "unknown"},
                labels=governance_label,
            ),
        ),
        Chart(
            "flags",
            i18n._("Flags to act on"),
            bars(
                [(code.value, count) for code, count in summary.by_flag.items()],
                tones={code.value: "bad" for code in summary.by_flag},
                filter_name="flag",
                labels=lambda code: flag_label(FlagCode(code)),
            ),
        ),
    )


def stage_label(stage: str) -> str:
    """A stage key (``co-design``) in the reader's language."""
    return Stage(stage).label


def decision_label(decision: str) -> str:
    """A build/buy/partner key, or ``undecided``, in the reader's language."""
    return i18n._(UNDECIDED_LABEL) if decision == UNDECIDED else DecisionOption(decision).label


def governance_label(state: str) -> str:
    """A governance state key (``not run``, ``unknown``...) in the reader's language."""
    return i18n._(GOVERNANCE_LABELS.get(state, state))
