"""Finding a project's latest executed report, by the time stamp the report runner puts in its name.

The runner writes ``reports/<slug>-<YYYYmmddTHHMMSSZ>.ipynb`` and ``.html`` (DESIGN.md section 3).
The name, not the file's modification time, says when the report ran: a copy to a file share or
a ``git checkout`` changes modification times, never names. Files that do not follow the pattern
(notes, a ``.gitkeep``) are ignored.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path
from typing import Final

from codesign.portfolio.model import ReportFile

logger = logging.getLogger(__name__)

REPORT_NAME: Final = re.compile(r"^(?P<name>.+)-(?P<stamp>\d{8}T\d{6}Z)\.(?P<kind>html|ipynb)$")
STAMP_FORMAT: Final = "%Y%m%dT%H%M%SZ"
_PREFERENCE: Final = {"html": 1, "ipynb": 0}
"""For one run, the HTML (what people read) is linked rather than the notebook."""


def latest_report(reports_dir: Path) -> ReportFile | None:
    """The most recent report in ``reports_dir``: the HTML of the latest run, else its notebook.

    ``None`` when there is none (or no such folder); other errors reading the folder
    (permissions) propagate as :class:`OSError` for the caller to report.
    """
    best: tuple[dt.datetime, int, str] | None = None
    try:
        entries = list(os.scandir(reports_dir))
    except (FileNotFoundError, NotADirectoryError):
        return None
    for entry in entries:
        match = REPORT_NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        try:
            stamp = dt.datetime.strptime(match["stamp"], STAMP_FORMAT).replace(tzinfo=dt.UTC)
        except ValueError:  # 20261399T... : the pattern's digits, not a date
            continue
        candidate = (stamp, _PREFERENCE[match["kind"]], entry.name)
        if best is None or candidate > best:
            best = candidate
    if best is None:
        return None
    return ReportFile(path=Path(reports_dir) / best[2], created_at=best[0])
