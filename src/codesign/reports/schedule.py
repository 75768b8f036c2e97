"""When a report is due: the charter's cron schedule against the last successful run.

A project's charter says when its report runs (``reports: {schedule: "0 7 * * MON", timezone:
Europe/Paris}``). A scheduler (cron, a systemd timer, a Kubernetes CronJob) calls
``codesign report run --due ROOT`` every few minutes; a report is due when a scheduled time has
passed since its last *successful* run. So:

* a project never reported on is due at once (first run);
* a run that failed leaves the report due, and the next tick tries again;
* a scheduler that was down for a day catches up with one run, not one per missed slot.

The schedule is read in the project's time zone (a 07:00 report stays at 07:00 across daylight
saving time changes). The state of the last runs is kept in the project
(:class:`codesign.project.ReportState`, ``reports/.schedule.json``), where the portfolio reads
it too.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass
from typing import TYPE_CHECKING

from codesign.timeutil import as_utc

if TYPE_CHECKING:
    from codesign.charter.model import Reports
    from codesign.project import ReportState

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Due:
    """Whether a report is due now, and why (or when it will be)."""

    due: bool
    reason: str
    next_at: dt.datetime | None = None
    """The next scheduled time after now, in the project's time zone (``None``: no schedule)."""


def due(reports: Reports, state: ReportState, now: dt.datetime) -> Due:
    """Is the report of a charter with ``reports`` due at ``now``, after runs as in ``state``?"""
    from croniter import croniter

    if reports.schedule is None:
        return Due(False, "no schedule in the charter (reports.schedule)")
    zone = zoneinfo.ZoneInfo(reports.timezone)
    local_now = as_utc(now).astimezone(zone)
    # croniter's get_prev from a scheduled instant returns the slot before it: step one second
    # past now so that a report scheduled at exactly now counts as due.
    scheduled = croniter(reports.schedule, local_now + dt.timedelta(seconds=1)).get_prev(
        dt.datetime
    )
    upcoming = croniter(reports.schedule, local_now).get_next(dt.datetime)
    if state.last_success is None:
        return Due(True, "first run: no successful report yet", upcoming)
    if state.last_success < scheduled:
        retry = " (the last run failed)" if state.last_status == "failed" else ""
        return Due(True, f"scheduled at {scheduled:%Y-%m-%d %H:%M %Z}{retry}", upcoming)
    return Due(False, f"not due until {upcoming:%Y-%m-%d %H:%M %Z}", upcoming)
