"""One report run per project at a time: a non-blocking lock in the project's reports folder.

Two schedulers (a cron tick that overlaps a long report, a person running the report by hand)
must not write the same project's report and schedule state at once. The lock is an advisory
``flock`` on ``reports/.lock``: taken without waiting (a second run is told at once that the
report is already running, and by which process), and released by the kernel when its holder
exits, however it exits, so a crash never leaves a stale lock behind. Within one process, two
threads locking the same project conflict too (``flock`` locks belong to open files).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
from typing import TYPE_CHECKING

from codesign.exceptions import ReportError
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Iterator

    from codesign.project import Project

logger = logging.getLogger(__name__)


class ReportLockedError(ReportError):
    """Raised when another run holds the project's report lock; nothing was done.

    ``holder`` says who holds it, as far as its lock file tells: `` (pid 123 since ...)``.
    """

    def __init__(self, message: str, *, holder: str = "") -> None:
        super().__init__(message)
        self.holder = holder


@contextlib.contextmanager
def project_lock(project: Project, *, clock_now: dt.datetime | None = None) -> Iterator[None]:
    """Hold the project's report lock, or raise :class:`ReportLockedError` at once."""
    import fcntl

    path = project.report_lock_path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        msg = f"{path}: cannot create the report lock ({os_reason(e)})"
        raise ReportError(msg) from e
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            msg = f"{project.root}: a report is already running{holder}; skipped"
            raise ReportLockedError(msg, holder=holder) from None
        started = (clock_now or dt.datetime.now(dt.UTC)).isoformat()
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"pid": os.getpid(), "since": started}).encode(), 0)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _holder(fd: int) -> str:
    """`` (pid 123 since ...)`` from the lock file, when its holder wrote it."""
    try:
        data = json.loads(os.pread(fd, 200, 0) or b"{}")
    except (OSError, ValueError):
        return ""
    if not isinstance(data, dict) or "pid" not in data:
        return ""
    return f" (pid {data['pid']} since {data.get('since', '?')})"
