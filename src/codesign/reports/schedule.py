"""When a report is due: the charter's cron schedule against the last successful run.

A project's charter says when its report runs (``reports: {schedule: "0 7 * * MON", timezone:
Europe/Paris}``). A scheduler (cron, a systemd timer, a Kubernetes CronJob) calls
``codesign report run --due ROOT`` every few minutes; a report is due when a scheduled time has
passed since its last *successful* run. So:

* a project never reported on is due at once (first run);
* a run that failed leaves the report due, and the next tick tries again;
* a scheduler that was down for a day catches up with one run, not one per missed slot.

The schedule is read in the project's time zone (a 07:00 report stays at 07:00 across daylight
saving time changes). The state is kept in the project (``reports/.schedule.json``, beside the
reports and git-ignored with them), written atomically.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import zoneinfo
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from codesign.fileio import REPLACE_ANY, atomic_write

if TYPE_CHECKING:
    from codesign.charter.model import Reports
    from codesign.project import Project

logger = logging.getLogger(__name__)

STATE_FILE: Final = Path("reports") / ".schedule.json"
"""Where a project keeps the state of its scheduled report, relative to its root."""

RunStatus = Literal["ok", "failed"]


@dataclass(frozen=True)
class ScheduleState:
    """The last report runs of a project, as the scheduler sees them."""

    last_success: dt.datetime | None = None
    last_attempt: dt.datetime | None = None
    last_status: RunStatus | None = None
    last_report: str | None = None
    """File name (without extension) of the last report written, complete or partial."""

    def after(self, status: RunStatus, at: dt.datetime, report: str | None) -> ScheduleState:
        """The state once a run started at ``at`` ended with ``status``."""
        return ScheduleState(
            last_success=at if status == "ok" else self.last_success,
            last_attempt=at,
            last_status=status,
            last_report=report or self.last_report,
        )

    def to_json(self) -> dict[str, str | None]:
        return {
            "last_success": _iso(self.last_success),
            "last_attempt": _iso(self.last_attempt),
            "last_status": self.last_status,
            "last_report": self.last_report,
        }

    @classmethod
    def from_json(cls, data: object) -> ScheduleState:
        """Parse what :meth:`to_json` wrote; raises ``ValueError`` on anything else."""
        if not isinstance(data, dict):
            msg = "expected an object"
            raise ValueError(msg)
        status = data.get("last_status")
        if status not in (None, "ok", "failed"):
            msg = f"unknown last_status {status!r}"
            raise ValueError(msg)
        report = data.get("last_report")
        return cls(
            last_success=_parse_time(data.get("last_success")),
            last_attempt=_parse_time(data.get("last_attempt")),
            last_status=status,
            last_report=str(report) if report is not None else None,
        )


@dataclass(frozen=True)
class Due:
    """Whether a report is due now, and why (or when it will be)."""

    due: bool
    reason: str
    next_at: dt.datetime | None = None
    """The next scheduled time after now, in the project's time zone (``None``: no schedule)."""


def due(reports: Reports, state: ScheduleState, now: dt.datetime) -> Due:
    """Is the report of a charter with ``reports`` due at ``now``, after runs as in ``state``?"""
    from croniter import croniter

    if reports.schedule is None:
        return Due(False, "no schedule in the charter (reports.schedule)")
    zone = zoneinfo.ZoneInfo(reports.timezone)
    local_now = _aware(now).astimezone(zone)
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


def read_state(project: Project) -> ScheduleState:
    """The project's schedule state; a missing or damaged file reads as "never run"."""
    path = project.root / STATE_FILE
    try:
        return ScheduleState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return ScheduleState()
    except (OSError, ValueError) as e:
        logger.warning(
            "%s: unreadable report schedule state (%s); treating the report as never run",
            path,
            type(e).__name__,
        )
        return ScheduleState()


def write_state(project: Project, state: ScheduleState) -> None:
    """Keep ``state`` atomically (the caller holds the project's report lock)."""
    path = project.root / STATE_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(state.to_json(), indent=2) + "\n"
    atomic_write(path, text.encode("utf-8"), expected_sha256=REPLACE_ANY)


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(dt.UTC).isoformat()


def _parse_time(text: object) -> dt.datetime | None:
    if text is None:
        return None
    if not isinstance(text, str):
        msg = "expected an ISO 8601 time"
        raise ValueError(msg)
    return _aware(dt.datetime.fromisoformat(text))
