"""Reports: each project's report notebook, run unattended with Papermill, read by people.

From Python::

    from codesign.reports import ReportOptions, run_reports

    summary = run_reports(["/srv/projects"], ReportOptions(due_only=True, jobs=2))
    summary.exit_code, [r.status for r in summary.results]

In the report notebook itself, :func:`codesign.reports.sections.load_report` reads a project and
returns the sections to display. Names load on first use: the report's kernel imports
``codesign.reports.sections`` without paying for Papermill, nbconvert or MLflow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from codesign.reports.diff import DiffOptions, diff_files
    from codesign.reports.parameters import validate_parameters
    from codesign.reports.runner import (
        ReportOptions,
        ReportResult,
        ReportStatus,
        RunSummary,
        run_report,
        run_reports,
    )
    from codesign.reports.schedule import Due, due
    from codesign.reports.sections import Report, load_report

__all__ = [
    "DiffOptions",
    "Due",
    "Report",
    "ReportOptions",
    "ReportResult",
    "ReportStatus",
    "RunSummary",
    "diff_files",
    "due",
    "load_report",
    "run_report",
    "run_reports",
    "validate_parameters",
]

_LAZY = {
    "DiffOptions": "diff",
    "diff_files": "diff",
    "validate_parameters": "parameters",
    "ReportOptions": "runner",
    "ReportResult": "runner",
    "ReportStatus": "runner",
    "RunSummary": "runner",
    "run_report": "runner",
    "run_reports": "runner",
    "Due": "schedule",
    "due": "schedule",
    "Report": "sections",
    "load_report": "sections",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        msg = f"module 'codesign.reports' has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(importlib.import_module(f"codesign.reports.{module}"), name)


def __dir__() -> list[str]:
    return sorted(__all__)
