"""The flags an AI office acts on, worked out from what was read of one initiative.

Each rule is one small function of an :class:`~codesign.portfolio.model.Initiative`, so each can
be read (and tested) on its own. The regression rule does not judge anything itself: it reports
the regressions the tracking layer found (:func:`codesign.tracking.comparison.build_comparison`).

A retired initiative needs no action, so it is not flagged, unless it cannot be read; neither is
what could not be read (a governance status that could not be read raises ``broken``, not
``governance never run``).

A flag's message is written in the language the portfolio is built in (:mod:`codesign.i18n`),
its dates too; its code stays the same in every language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from codesign.charter.model import Stage
from codesign.i18n import _, format_date, ngettext
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
        _("no internal stakeholder has the role of clinical lead"),
    )


def _no_signoff(initiative: Initiative) -> Flag | None:
    if initiative.signoffs_valid:
        return None
    if initiative.signoffs_outdated:
        return Flag(
            FlagCode.NO_SIGNOFF,
            ngettext(
                "the charter changed after its {n} sign-off; nobody signed the current version",
                "the charter changed after its {n} sign-offs; nobody signed the current version",
                initiative.signoffs_outdated,
            ),
        )
    return Flag(FlagCode.NO_SIGNOFF, _("the charter was never signed off"))


def _governance(initiative: Initiative) -> Flag | None:
    if initiative.governance == "not run":
        return Flag(FlagCode.GOVERNANCE_NOT_RUN, _("the governance gate never ran on its data"))
    if initiative.governance == "failed":
        when = initiative.governance_checked_at
        message = (
            _("the latest governance gate failed (checked {date})", date=format_date(when))
            if when is not None
            else _("the latest governance gate failed")
        )
        return Flag(FlagCode.GOVERNANCE_FAILED, message)
    return None


def _inactive(initiative: Initiative, now: dt.datetime, stale_after_days: int) -> Flag | None:
    activity = initiative.last_activity
    if activity is None:
        return Flag(FlagCode.INACTIVE, _("no recorded activity"))
    days = (now - activity.at).days
    if days < stale_after_days:
        return None
    return Flag(
        FlagCode.INACTIVE,
        ngettext(
            "no activity for {n} day (last: {kind}, {date})",
            "no activity for {n} days (last: {kind}, {date})",
            days,
            kind=_(activity.kind),
            date=format_date(activity.at),
        ),
    )


def _regressing(initiative: Initiative) -> Flag | None:
    if not initiative.regressing:
        return None
    latest = initiative.latest_iteration
    outcomes = ", ".join(initiative.regressing)
    message = (
        _(
            "the latest iteration of {date} misses {outcomes}, met by an earlier iteration",
            date=format_date(latest.started_at),
            outcomes=outcomes,
        )
        if latest is not None
        else _(
            "the latest iteration misses {outcomes}, met by an earlier iteration", outcomes=outcomes
        )
    )
    return Flag(FlagCode.REGRESSING, message)


def _report_failed(initiative: Initiative) -> Flag | None:
    if initiative.report_status != "failed":
        return None
    when = initiative.report_attempted_at
    message = (
        _(
            "the last report run failed ({date} {time} UTC); its partial report says where it "
            "stopped",
            date=format_date(when),
            time=f"{when:%H:%M}",
        )
        if when is not None
        else _("the last report run failed; its partial report says where it stopped")
    )
    return Flag(FlagCode.REPORT_FAILED, message)


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
        ngettext(
            "{n} evidence item the charter requires is not evidenced: {items} "
            "(codesign evidence lists what each lacks)",
            "{n} evidence items the charter requires are not evidenced: {items} "
            "(codesign evidence lists what each lacks)",
            len(lacking),
            items=", ".join(lacking),
        ),
    )
