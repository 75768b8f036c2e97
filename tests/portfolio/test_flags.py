"""Each flag rule on its own, on initiatives built by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from codesign.charter.model import Stage
from codesign.portfolio.flags import flags_for
from codesign.portfolio.model import Activity, FlagCode, Initiative, LatestIteration

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
F = FlagCode

HEALTHY = Initiative(
    path=Path("/share/p"),
    title="Triage",
    stage=Stage.PILOT,
    clinical_lead="Dr A. Martin",
    governance="passed",
    governance_checked_at=NOW,
    signoffs_valid=1,
    signoffs_outdated=0,
    last_activity=Activity(NOW - dt.timedelta(days=3), "iteration"),
)


def flags(initiative: Initiative, days: int = 90) -> dict[FlagCode, str]:
    return {f.code: f.message for f in flags_for(initiative, now=NOW, stale_after_days=days)}


def test_a_healthy_initiative_has_no_flag() -> None:
    assert flags(HEALTHY) == {}


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        ({"clinical_lead": None}, F.NO_CLINICAL_LEAD, "no internal stakeholder has the role"),
        ({"signoffs_valid": 0}, F.NO_SIGNOFF, "the charter was never signed off"),
        ({"signoffs_valid": 0, "signoffs_outdated": 2}, F.NO_SIGNOFF, "changed after its 2"),
        ({"governance": "not run"}, F.GOVERNANCE_NOT_RUN, "never ran on its data"),
        ({"governance": "failed"}, F.GOVERNANCE_FAILED, "failed (checked 2026-06-01)"),
        ({"last_activity": None}, F.INACTIVE, "no recorded activity"),
        (
            {"last_activity": Activity(NOW - dt.timedelta(days=90), "report")},
            F.INACTIVE,
            "no activity for 90 days (last: report, 2026-03-03)",
        ),
        (
            {
                "regressing": ("sens", "spec"),
                "latest_iteration": LatestIteration("r1", NOW - dt.timedelta(days=1)),
            },
            F.REGRESSING,
            "the latest iteration of 2026-05-31 misses sens, spec",
        ),
        ({"problems": ("a: broken\n  detail",)}, F.BROKEN, "a: broken"),
        (
            {"report_status": "failed", "report_attempted_at": NOW - dt.timedelta(hours=2)},
            F.REPORT_FAILED,
            "the last report run failed (2026-06-01 10:00 UTC)",
        ),
        (
            {"stage_problem": "stage pilot without a go decision: run `codesign promote`"},
            F.STAGE_UNBACKED,
            "stage pilot without a go decision",
        ),
    ],
)
def test_each_rule(change: dict[str, object], code: FlagCode, message: str) -> None:
    found = flags(dataclasses.replace(HEALTHY, **change))  # type: ignore[arg-type]
    assert list(found) == [code]
    assert message in found[code]


def test_the_activity_threshold_is_a_number_of_whole_days() -> None:
    recent = dataclasses.replace(
        HEALTHY, last_activity=Activity(NOW - dt.timedelta(days=89, hours=23), "iteration")
    )
    assert flags(recent) == {}
    assert F.INACTIVE in flags(recent, days=30)


def test_a_retired_initiative_is_only_flagged_when_broken() -> None:
    retired = dataclasses.replace(
        HEALTHY, stage=Stage.RETIRED, clinical_lead=None, signoffs_valid=0, last_activity=None
    )
    assert flags(retired) == {}
    assert list(flags(dataclasses.replace(retired, problems=("x",)))) == [F.BROKEN]


def test_what_could_not_be_read_is_not_guessed() -> None:
    unread = Initiative(path=Path("/share/p"), problems=("p/codesign.yaml: invalid charter",))
    assert list(flags(unread)) == [F.BROKEN]
    unknown_gate = dataclasses.replace(HEALTHY, governance=None, problems=("gate unreadable",))
    assert list(flags(unknown_gate)) == [F.BROKEN]
