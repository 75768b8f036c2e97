"""Outcome consensus the way clinical teams reach it: a modified Delphi on the GRADE 1–9 scale.

Each participant rates how important a candidate outcome is, 1 to 9 (GRADE: 1–3 not important,
4–6 important but not critical, 7–9 critical), and may propose a target. The rule used for core
outcome sets (COMET, OMERACT) then reads the room:

* **consensus in** when at least 70 % rate it 7–9 *and* fewer than 15 % rate it 1–3;
* **consensus out** when at least 70 % rate it 1–3 *and* fewer than 15 % rate it 7–9;
* **no consensus** otherwise (another round, with each person seeing the group's answers).

The two thresholds are the charter's (``consensus: {agree: 0.7, disagree: 0.15}``). Shares are
compared as exact fractions, so 7 of 10 is exactly 70 % and 3 of 20 exactly 15 %: a tie on a
threshold falls on the side the rule's words say (at least / fewer than), never on a rounding.

Pure functions and small models only: the storage of ratings is :mod:`codesign.charter.ratings`.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from pydantic import BaseModel, ConfigDict, Field, model_validator

from codesign.i18n import N_, _, format_percent

if TYPE_CHECKING:
    from collections.abc import Sequence

SCALE: Final = range(1, 10)
"""GRADE importance scores."""
NOT_IMPORTANT: Final = range(1, 4)
CRITICAL: Final = range(7, 10)
SCALE_WORDS: Final = {
    1: N_("not important"),
    2: N_("not important"),
    3: N_("not important"),
    4: N_("important, not critical"),
    5: N_("important, not critical"),
    6: N_("important, not critical"),
    7: N_("critical"),
    8: N_("critical"),
    9: N_("critical"),
}
"""The GRADE scale's words for each score (marked for the catalogue: ``_()`` where shown)."""


class Verdict(StrEnum):
    """What the room's ratings say about a candidate outcome."""

    IN = N_("consensus in")
    OUT = N_("consensus out")
    NONE = N_("no consensus")
    UNRATED = N_("not rated yet")

    @property
    def label(self) -> str:
        """The verdict in the reader's language (the value stays the stored English word)."""
        return _(self.value)


class ConsensusRule(BaseModel):
    """The thresholds of the consensus rule (the charter's ``consensus``)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, frozen=True)

    agree: float = Field(default=0.70, gt=0.5, le=1.0)
    """Share of the room that must rate in a band (7–9, or 1–3) for consensus, e.g. 0.7."""
    disagree: float = Field(default=0.15, ge=0.0, lt=0.5)
    """Share rating in the opposite band that must not be reached, e.g. 0.15."""

    def describe(self) -> str:
        """The rule in words, as stored with the evidence and shown in the forms (in the
        charter's language, like the rest of what the workshop writes into it)."""
        return _(
            "consensus in: at least {agree} rate 7-9 and fewer than {disagree} rate 1-3; "
            "consensus out: at least {agree} rate 1-3 and fewer than {disagree} rate 7-9 "
            "(GRADE 1-9, COMET/OMERACT)",
            agree=_percent(self.agree),
            disagree=_percent(self.disagree),
        )


class ConsensusEvidence(BaseModel):
    """How an outcome entered the charter: the round that accepted it and the room's ratings."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    round: int = Field(ge=1)
    """The Delphi round whose ratings decided it."""
    n: int = Field(ge=1)
    """How many people rated it in that round."""
    median: float = Field(ge=1, le=9)
    share_critical: float = Field(ge=0, le=1)
    """Share rating it 7–9 (critical)."""
    share_not_important: float = Field(ge=0, le=1)
    """Share rating it 1–3 (not important)."""
    rule: str
    """The rule applied, in words (thresholds included)."""
    decided_on: dt.date

    @model_validator(mode="after")
    def _shares_fit(self) -> ConsensusEvidence:
        if self.share_critical + self.share_not_important > 1 + 1e-9:
            msg = _("share_critical and share_not_important add up to more than 1")
            raise ValueError(msg)
        return self


@dataclass(frozen=True)
class Tally:
    """One candidate outcome's ratings in one round, and the verdict they give."""

    n: int
    distribution: tuple[int, ...]
    """How many rated 1, 2, ... 9 (nine counts)."""
    median: float | None
    critical: int
    not_important: int
    verdict: Verdict
    targets: TargetSummary | None = None

    @property
    def share_critical(self) -> float:
        return self.critical / self.n if self.n else 0.0

    @property
    def share_not_important(self) -> float:
        return self.not_important / self.n if self.n else 0.0

    def evidence(self, rule: ConsensusRule, round_number: int, on: dt.date) -> ConsensusEvidence:
        """What the charter keeps when the outcome is accepted on this tally."""
        if self.median is None:
            msg = "no ratings to keep as evidence"
            raise ValueError(msg)
        return ConsensusEvidence(
            round=round_number,
            n=self.n,
            median=self.median,
            share_critical=round(self.share_critical, 4),
            share_not_important=round(self.share_not_important, 4),
            rule=rule.describe(),
            decided_on=on,
        )


@dataclass(frozen=True)
class TargetSummary:
    """Targets proposed for an outcome: how many, their median and interquartile range."""

    n: int
    median: float
    q1: float
    q3: float


def check_score(score: object) -> int:
    """A GRADE score, 1 to 9; raises :class:`ValueError` in words otherwise."""
    if isinstance(score, bool) or not isinstance(score, int) or score not in SCALE:
        msg = _(
            "a rating goes from 1 (not important) to 9 (critical), got {score}", score=repr(score)
        )
        raise ValueError(msg)
    return score


def verdict(
    scores: Sequence[int], rule: ConsensusRule | None = None
) -> tuple[Verdict, Fraction, Fraction]:
    """The rule applied to one round's scores: the verdict, share 7–9, share 1–3 (exact)."""
    rule = rule or ConsensusRule()
    for score in scores:
        check_score(score)
    if not scores:
        return Verdict.UNRATED, Fraction(0), Fraction(0)
    n = len(scores)
    critical = Fraction(sum(1 for s in scores if s in CRITICAL), n)
    not_important = Fraction(sum(1 for s in scores if s in NOT_IMPORTANT), n)
    agree, disagree = _exact(rule.agree), _exact(rule.disagree)
    if critical >= agree and not_important < disagree:
        return Verdict.IN, critical, not_important
    if not_important >= agree and critical < disagree:
        return Verdict.OUT, critical, not_important
    return Verdict.NONE, critical, not_important


def tally(
    scores: Sequence[int],
    targets: Sequence[float] = (),
    rule: ConsensusRule | None = None,
) -> Tally:
    """Everything the facilitator sees for one candidate in one round."""
    result, _, _ = verdict(scores, rule)
    distribution = tuple(sum(1 for s in scores if s == value) for value in SCALE)
    return Tally(
        n=len(scores),
        distribution=distribution,
        median=float(statistics.median(scores)) if scores else None,
        critical=sum(1 for s in scores if s in CRITICAL),
        not_important=sum(1 for s in scores if s in NOT_IMPORTANT),
        verdict=result,
        targets=summarise_targets(targets),
    )


def summarise_targets(values: Sequence[float]) -> TargetSummary | None:
    """Median and interquartile range of proposed targets (inclusive quartiles, as Excel's
    QUARTILE.INC: the range of the middle half of the proposals)."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return TargetSummary(n=1, median=ordered[0], q1=ordered[0], q3=ordered[0])
    q1, median, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    return TargetSummary(n=len(ordered), median=median, q1=q1, q3=q3)


def _exact(share: float) -> Fraction:
    """A threshold as the exact fraction its decimal writes (0.7 is 7/10, not 0.69999...)."""
    return Fraction(repr(share))


def _percent(share: float) -> str:
    return format_percent(share, 1)
