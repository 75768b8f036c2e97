"""The modified Delphi rule on worked examples computed by hand (GRADE 1-9, COMET/OMERACT)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from codesign.charter.consensus import (
    ConsensusRule,
    Verdict,
    summarise_targets,
    tally,
    verdict,
)


def test_seven_of_ten_critical_is_exactly_seventy_percent_and_counts_as_consensus_in() -> None:
    # 7 of 10 rate 7-9 (70 %: "at least 70 %" holds), 1 of 10 rates 1-3 (10 % < 15 %).
    scores = [7, 8, 9, 7, 8, 9, 7, 5, 4, 2]
    result, critical, not_important = verdict(scores)
    assert (result, critical, not_important) == (Verdict.IN, Fraction(7, 10), Fraction(1, 10))


def test_sixty_nine_percent_is_short_of_seventy() -> None:
    # 9 of 13 = 69.2 % rate 7-9: no consensus, though it rounds to 69 or 70 depending on taste.
    scores = [9] * 9 + [5] * 4
    assert verdict(scores)[0] is Verdict.NONE


def test_exactly_fifteen_percent_rating_one_to_three_blocks_consensus_in() -> None:
    # 20 raters: 14 critical (70 %), 3 not important (exactly 15 %: "fewer than 15 %" fails).
    scores = [8] * 14 + [2] * 3 + [5] * 3
    result, critical, not_important = verdict(scores)
    assert critical == Fraction(7, 10)
    assert not_important == Fraction(3, 20)
    assert result is Verdict.NONE


def test_just_under_fifteen_percent_allows_consensus_in() -> None:
    # 21 raters: 15 critical (71.4 %), 3 not important (14.3 % < 15 %).
    scores = [8] * 15 + [1] * 3 + [6] * 3
    assert verdict(scores)[0] is Verdict.IN


def test_consensus_out_mirrors_the_rule() -> None:
    # 10 raters: 7 rate 1-3 (70 %), 1 rates 7-9 (10 % < 15 %): consensus out.
    assert verdict([1, 2, 3, 1, 2, 3, 1, 5, 6, 9])[0] is Verdict.OUT
    # Exactly 15 % critical on the other side blocks consensus out: 14 of 20 low, 3 of 20 high.
    assert verdict([2] * 14 + [8] * 3 + [5] * 3)[0] is Verdict.NONE


def test_the_charter_s_thresholds_apply() -> None:
    scores = [8] * 6 + [5] * 4  # 60 % critical
    assert verdict(scores)[0] is Verdict.NONE
    assert verdict(scores, ConsensusRule(agree=0.6, disagree=0.1))[0] is Verdict.IN


def test_no_ratings_is_not_rated_and_a_score_off_the_scale_is_refused() -> None:
    assert verdict([])[0] is Verdict.UNRATED
    for bad in (0, 10, -1):
        with pytest.raises(ValueError, match=r"from 1 .* to 9"):
            verdict([5, bad])


def test_tally_median_distribution_and_targets() -> None:
    # Scores 2 5 7 8 9 9: median (7 + 8) / 2 = 7.5; 4 of 6 critical, 1 of 6 not important.
    result = tally([9, 2, 8, 7, 9, 5], targets=[0.90, 0.95, 0.97, 0.99])
    assert result.median == 7.5
    assert result.distribution == (0, 1, 0, 0, 1, 0, 1, 1, 2)
    assert (result.critical, result.not_important, result.n) == (4, 1, 6)
    assert result.verdict is Verdict.NONE  # 66.7 % < 70 %
    # Targets 0.90 0.95 0.97 0.99, inclusive quartiles: positions 1.75, 2.5, 3.25 (from 1).
    # Q1 = 0.90 + 0.75 * 0.05 = 0.9375; median = 0.96; Q3 = 0.97 + 0.25 * 0.02 = 0.975.
    assert result.targets is not None
    assert result.targets.median == pytest.approx(0.96)
    assert result.targets.q1 == pytest.approx(0.9375)
    assert result.targets.q3 == pytest.approx(0.975)


def test_one_target_is_its_own_range_and_none_is_none() -> None:
    one = summarise_targets([0.95])
    assert one is not None
    assert (one.q1, one.median, one.q3) == (0.95, 0.95, 0.95)
    assert summarise_targets([]) is None


def test_evidence_keeps_round_n_shares_and_the_rule_in_words() -> None:
    result = tally([7, 8, 9, 7, 8, 9, 7, 5, 4, 2])
    evidence = result.evidence(ConsensusRule(), 2, dt.date(2026, 11, 25))
    assert (evidence.round, evidence.n, evidence.median) == (2, 10, 7.0)
    assert (evidence.share_critical, evidence.share_not_important) == (0.7, 0.1)
    assert "at least 70% rate 7-9 and fewer than 15% rate 1-3" in evidence.rule
