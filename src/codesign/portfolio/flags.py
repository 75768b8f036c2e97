"""The flags an AI office acts on, worked out from what was read of one initiative.

Each rule is one small function of an :class:`~codesign.portfolio.model.Initiative`, so each can
be read (and tested) on its own. The regression rule does not judge anything itself: it reports
the regressions the tracking layer found (:func:`codesign.tracking.comparison.build_comparison`).

A retired initiative needs no action, so it is not flagged, unless it cannot be read; neither is
what could not be read (a governance status that could not be read raises ``broken``, not
``governance never run``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codesign.charter.model import Stage
from codesign.portfolio.model import Flag, FlagCode
from codesign.system import first_line

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable

    from codesign.portfolio.model import Initiative


def flags_for(
    initiative: Initiative, *, now: dt.datetime, stale_after_days: int
) -> tuple[Flag, ...]:
    """Every flag that applies to ``initiative`` as of ``now``, in a stable order."""
    found: list[Flag] = []
    if initiative.problems:
        found.append(_broken(initiative))
    if not initiative.charter_read or initiative.stage is Stage.RETIRED:
        return tuple(found)
    rules: tuple[Callable[[Initiative], Flag | None], ...] = (
        _no_clinical_lead,
        _no_signoff,
        _governance,
        lambda i: _inactive(i, now, stale_after_days),
        _regressing,
        _report_failed,
        _stage_unbacked,
        _evidence_incomplete,
    )
    found.extend(flag for rule in rules if (flag := rule(initiative)) is not None)
    return tuple(found)


def _broken(initiative: Initiative) -> Flag:
    what = "; ".join(first_line(problem) for problem in initiative.problems)
    return Flag(FlagCode.BROKEN, what)


def _no_clinical_lead(initiative: Initiative) -> Flag | None:
    if initiative.clinical_lead:
        return None
    return Flag(
        FlagCode.NO_CLINICAL_LEAD,
        "no internal stakeholder has the role of clinical lead",
    )


def _no_signoff(initiative: Initiative) -> Flag | None:
    if initiative.signoffs_valid:
        return None
    if initiative.signoffs_outdated:
        return Flag(
            FlagCode.NO_SIGNOFF,
            f"the charter changed after its {initiative.signoffs_outdated} sign-off(s); "
            "nobody signed the current version",
        )
    return Flag(FlagCode.NO_SIGNOFF, "the charter was never signed off")


def _governance(initiative: Initiative) -> Flag | None:
    if initiative.governance == "not run":
        return Flag(FlagCode.GOVERNANCE_NOT_RUN, "the governance gate never ran on its data")
    if initiative.governance == "failed":
        when = initiative.governance_checked_at
        since = f" (checked {when:%Y-%m-%d})" if when is not None else ""
        return Flag(FlagCode.GOVERNANCE_FAILED, f"the latest governance gate failed{since}")
    return None


def _inactive(initiative: Initiative, now: dt.datetime, stale_after_days: int) -> Flag | None:
    activity = initiative.last_activity
    if activity is None:
        return Flag(FlagCode.INACTIVE, "no recorded activity")
    days = (now - activity.at).days
    if days < stale_after_days:
        return None
    return Flag(
        FlagCode.INACTIVE,
        f"no activity for {days} days (last: {activity.kind}, {activity.at:%Y-%m-%d})",
    )


def _regressing(initiative: Initiative) -> Flag | None:
    if not initiative.regressing:
        return None
    latest = initiative.latest_iteration
    when = f" of {latest.started_at:%Y-%m-%d}" if latest is not None else ""
    return Flag(
        FlagCode.REGRESSING,
        f"the latest iteration{when} misses {', '.join(initiative.regressing)}, "
        "met by an earlier iteration",
    )


def _report_failed(initiative: Initiative) -> Flag | None:
    if initiative.report_status != "failed":
        return None
    when = initiative.report_attempted_at
    since = f" ({when:%Y-%m-%d %H:%M} UTC)" if when is not None else ""
    return Flag(
        FlagCode.REPORT_FAILED,
        f"the last report run failed{since}; its partial report says where it stopped",
    )


def _stage_unbacked(initiative: Initiative) -> Flag | None:
    if initiative.stage_problem is None:
        return None
    return Flag(FlagCode.STAGE_UNBACKED, initiative.stage_problem)


def _evidence_incomplete(initiative: Initiative) -> Flag | None:
    lacking = initiative.evidence.required_missing if initiative.evidence is not None else ()
    if not lacking:
        return None
    return Flag(
        FlagCode.EVIDENCE_INCOMPLETE,
        f"{len(lacking)} evidence item(s) the charter requires are not evidenced: "
        f"{', '.join(lacking)} (codesign evidence lists what each lacks)",
    )
