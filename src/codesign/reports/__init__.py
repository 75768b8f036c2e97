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

from typing import TYPE_CHECKING

from codesign._lazy import attach

if TYPE_CHECKING:
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
    from codesign.review import DiffOptions, diff_files

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
    "DiffOptions": "codesign.review",
    "diff_files": "codesign.review",
    "validate_parameters": "codesign.reports.parameters",
    "ReportOptions": "codesign.reports.runner",
    "ReportResult": "codesign.reports.runner",
    "ReportStatus": "codesign.reports.runner",
    "RunSummary": "codesign.reports.runner",
    "run_report": "codesign.reports.runner",
    "run_reports": "codesign.reports.runner",
    "Due": "codesign.reports.schedule",
    "due": "codesign.reports.schedule",
    "Report": "codesign.reports.sections",
    "load_report": "codesign.reports.sections",
}

__getattr__, __dir__ = attach(__name__, _LAZY, __all__)
