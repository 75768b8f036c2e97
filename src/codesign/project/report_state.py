"""The state of a project's report runs: what ``report run --due`` schedules by.

The report runner writes it and the portfolio reads it (to flag a project whose last report
failed), so it lives in the project layer, below both.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from codesign.fileio import REPLACE_ANY, atomic_write
from codesign.timeutil import iso_utc, parse_utc

if TYPE_CHECKING:
    import datetime as dt

    from codesign.project.layout import Project

logger = logging.getLogger(__name__)


ReportRunStatus = Literal["ok", "failed"]


@dataclass(frozen=True)
class ReportState:
    """The last report runs of a project: what ``--due`` schedules by and the portfolio shows."""

    last_success: dt.datetime | None = None
    last_attempt: dt.datetime | None = None
    last_status: ReportRunStatus | None = None
    last_report: str | None = None
    """File name (without extension) of the last report written, complete or partial."""

    def after(self, status: ReportRunStatus, at: dt.datetime, report: str | None) -> ReportState:
        """The state once a run started at ``at`` ended with ``status``."""
        return ReportState(
            last_success=at if status == "ok" else self.last_success,
            last_attempt=at,
            last_status=status,
            last_report=report or self.last_report,
        )

    def to_json(self) -> dict[str, str | None]:
        return {
            "last_success": iso_utc(self.last_success),
            "last_attempt": iso_utc(self.last_attempt),
            "last_status": self.last_status,
            "last_report": self.last_report,
        }

    @classmethod
    def from_json(cls, data: object) -> ReportState:
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
            last_success=parse_utc(data.get("last_success")),
            last_attempt=parse_utc(data.get("last_attempt")),
            last_status=status,
            last_report=str(report) if report is not None else None,
        )


def read_report_state(project: Project) -> ReportState:
    """The state of the project's report runs; a missing or damaged file reads as "never run"."""
    path = project.report_state_path
    try:
        return ReportState.from_json(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return ReportState()
    except (OSError, ValueError) as e:
        logger.warning(
            "%s: unreadable report schedule state (%s); treating the report as never run",
            path,
            type(e).__name__,
        )
        return ReportState()


def write_report_state(project: Project, state: ReportState) -> None:
    """Keep ``state`` atomically (the caller holds the project's report lock)."""
    path = project.report_state_path
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(state.to_json(), indent=2) + "\n"
    atomic_write(path, text.encode("utf-8"), expected_sha256=REPLACE_ANY)
