"""The state of a project's report runs: what ``report run --due`` schedules by.

The report runner writes it and the portfolio reads it (to flag a project whose last report
failed), so it lives in the project layer, below both.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from codesign.exceptions import FileReadError
from codesign.fileio import REPLACE_ANY, atomic_write, project_folder, read_user_file
from codesign.project.layout import REPORT_STATE_FILE
from codesign.timeutil import iso_utc, parse_utc

if TYPE_CHECKING:
    import datetime as dt

    from codesign.project.layout import Project

logger = logging.getLogger(__name__)

MAX_STATE_BYTES: Final = 64 * 1024
"""A schedule state is a few hundred bytes; anything much larger is not one."""


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
    """The state of the project's report runs; a missing or damaged file reads as "never run".

    Raises :class:`~codesign.exceptions.FileReadError` when the file is not a regular file of
    reasonable size (a FIFO would block a scheduler, ``/dev/zero`` would fill its memory): that
    project's report fails with the reason, and the others run.
    """
    path = project.report_state_path
    try:
        data = read_user_file(path, limit=MAX_STATE_BYTES, what="report schedule state")
    except FileNotFoundError:
        return ReportState()
    except FileReadError as e:
        if not isinstance(e.__cause__, OSError):  # not a regular file, or far too large
            raise
        logger.warning("%s; treating the report as never run", e)  # closed to this user
        return ReportState()
    try:
        return ReportState.from_json(json.loads(data))
    except ValueError as e:
        logger.warning(
            "%s: unreadable report schedule state (%s); treating the report as never run",
            path,
            type(e).__name__,
        )
        return ReportState()


def write_report_state(project: Project, state: ReportState) -> None:
    """Keep ``state`` atomically (the caller holds the project's report lock)."""
    project_folder(project.root, REPORT_STATE_FILE.parent)
    text = json.dumps(state.to_json(), indent=2) + "\n"
    atomic_write(
        project.report_state_path,
        text.encode("utf-8"),
        expected_sha256=REPLACE_ANY,
        within=project.root,
    )
