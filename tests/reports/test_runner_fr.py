"""``codesign report run``'s lines in French: each report's status and the summary after them.

English stays as the tests of the runner pin it; in French the statuses, the counts and the
seconds (decimal comma) are the language's.
"""

from __future__ import annotations

from pathlib import Path

from tests.french import NBSP

from codesign.i18n import use_language
from codesign.reports.runner import ReportResult, ReportStatus, RunSummary

RESULTS = (
    ReportResult(Path("/share/a"), ReportStatus.OK, "wrote reports/a.html and .ipynb", seconds=2.5),
    ReportResult(Path("/share/b"), ReportStatus.FAILED, "stopped", seconds=0.0),
    ReportResult(Path("/share/c"), ReportStatus.FAILED, "stopped", seconds=0.0),
)


def test_the_lines_in_english_are_unchanged() -> None:
    with use_language("en"):
        lines = RunSummary(RESULTS).lines()
    assert lines == [
        "OK       /share/a: wrote reports/a.html and .ipynb (2.5 s)",
        "FAILED   /share/b: stopped",
        "FAILED   /share/c: stopped",
        "3 project(s): 1 ok, 2 failed",
        "Failed (2): /share/b, /share/c",
    ]


def test_the_lines_in_french() -> None:
    with use_language("fr"):
        lines = RunSummary(RESULTS).lines()
    assert lines == [
        f"OK       /share/a{NBSP}: wrote reports/a.html and .ipynb (2,5{NBSP}s)",
        f"ÉCHOUÉ   /share/b{NBSP}: stopped",
        f"ÉCHOUÉ   /share/c{NBSP}: stopped",
        f"3 projet(s){NBSP}: 1 ok, 2 en échec",
        f"Échecs (2){NBSP}: /share/b, /share/c",
    ]
