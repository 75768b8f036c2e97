"""The portfolio as data: one record per initiative, the same for the JSON and CSV exports.

The records hold what the dashboard shows (charter fields, counts, dates, statuses, flags) and
nothing else. The CSV is for spreadsheets: one column per flag (``flag_<code>``: ``yes`` or
empty) so the AI office can filter on it, and text cells that a spreadsheet would run as a
formula (``=``, ``+``, ``-``, ``@``...) are prefixed with an apostrophe (OWASP's advice against
CSV injection: a charter title is typed by anyone).

Keys, codes and values read by programs (column names, flag codes, stages, statuses, ISO dates)
are the same in every language; the words for people in the JSON (a flag's ``label`` and
``message``) are in the language the portfolio was built in.
"""

from __future__ import annotations

import csv
import io
import json
import os
import urllib.parse
from typing import TYPE_CHECKING, Any, Final

from codesign.portfolio.model import FlagCode, flag_label

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from codesign.portfolio.model import Initiative, Portfolio

GENERATOR: Final = "codesign portfolio"
"""Written into every output, so a later run knows the files are its own to replace."""

CSV_COLUMNS: Final = (
    "title",
    "site",
    "stage",
    "clinical_lead",
    "partner",
    "decision",
    "outcomes_met",
    "outcomes_measured",
    "outcomes_total",
    "iterations",
    "latest_iteration_at",
    "regressing",
    "governance",
    "governance_checked_at",
    "signoffs_valid",
    "signoffs_outdated",
    "last_report",
    "last_report_at",
    "last_report_status",
    "last_activity_at",
    "last_activity_kind",
    "flags",
    *(f"flag_{code.value}" for code in FlagCode),
    "evidence_evidenced",
    "evidence_partial",
    "evidence_missing",
    "evidence_required_missing",
    "problems",
    "slug",
    "path",
)
"""The CSV header, in order."""
CSV_MARK_COLUMNS: Final = CSV_COLUMNS[: CSV_COLUMNS.index("flags") + 1]
"""The start of the header, how a later run recognises its own file: the columns after it (one
per flag, evidence) grow with new versions, and an older file must still be replaced."""

_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")


def report_link(report: Path, out_dir: Path) -> str:
    """A link to ``report`` that works from ``out_dir``: relative when possible, else a file URL.

    Relative links keep working when the whole share is mounted elsewhere or copied together.
    """
    try:
        relative = os.path.relpath(report, out_dir)
    except ValueError:  # another drive (Windows): no relative path exists
        return report.as_uri()
    return urllib.parse.quote(relative.replace(os.sep, "/"))


def initiative_record(initiative: Initiative, out_dir: Path) -> dict[str, Any]:
    """One initiative as JSON-ready data (the JSON export's ``initiatives`` items)."""
    tally = initiative.outcomes
    report = initiative.report
    activity = initiative.last_activity
    latest = initiative.latest_iteration
    return {
        "title": initiative.title,
        "site": initiative.site,
        "stage": initiative.stage.value if initiative.stage is not None else None,
        "clinical_lead": initiative.clinical_lead,
        "partner": initiative.partner,
        "decision": initiative.decision.value if initiative.decision is not None else None,
        "outcomes_met": tally.met if tally is not None else None,
        "outcomes_measured": tally.measured if tally is not None else None,
        "outcomes_total": initiative.outcomes_total,
        "iterations": initiative.iterations,
        "latest_iteration_at": _iso(latest.started_at if latest is not None else None),
        "latest_iteration_run_id": latest.run_id if latest is not None else None,
        "regressing": list(initiative.regressing),
        "governance": initiative.governance,
        "governance_checked_at": _iso(initiative.governance_checked_at),
        "governance_current": initiative.governance_current,
        "signoffs_valid": initiative.signoffs_valid,
        "signoffs_outdated": initiative.signoffs_outdated,
        "last_report": report_link(report.path, out_dir) if report is not None else None,
        "last_report_path": str(report.path) if report is not None else None,
        "last_report_at": _iso(report.created_at if report is not None else None),
        "last_report_status": initiative.report_status,
        "last_activity_at": _iso(activity.at if activity is not None else None),
        "last_activity_kind": activity.kind if activity is not None else None,
        "flags": [
            {"code": flag.code.value, "label": flag.label, "message": flag.message}
            for flag in initiative.flags
        ],
        "standing": (
            initiative.standing.to_json(free_text=False)
            if initiative.standing is not None
            else None
        ),
        "gate_history": [
            {
                "checked_at": _iso(run.checked_at),
                "passed": run.passed,
                "rows": run.rows,
                "findings": dict(run.findings),
            }
            for run in initiative.gate_history
        ],
        "promotion": _promotion(initiative),
        "evidence": initiative.evidence.to_json() if initiative.evidence is not None else None,
        "broken": initiative.broken,
        "problems": list(initiative.problems),
        "slug": initiative.slug,
        "path": str(initiative.path),
    }


def portfolio_json(portfolio: Portfolio, out_dir: Path) -> str:
    """The JSON export: when, where from, the summary, and every initiative."""
    summary = portfolio.summary()
    from codesign import __version__

    document = {
        "generator": GENERATOR,
        "codesign_version": __version__,
        "generated_at": _iso(portfolio.generated_at),
        "roots": [str(root) for root in portfolio.roots],
        "stale_after_days": portfolio.stale_after_days,
        "summary": {
            "initiatives": summary.initiatives,
            "broken": summary.broken,
            "flagged": summary.flagged,
            "by_stage": dict(summary.by_stage),
            "by_decision": dict(summary.by_decision),
            "by_governance": dict(summary.by_governance),
            "by_outcomes": dict(summary.by_outcomes),
            "by_flag": {code.value: count for code, count in summary.by_flag.items()},
            "outcomes_met": summary.outcomes_met,
            "outcomes_total": summary.outcomes_total,
        },
        "flags": {code.value: flag_label(code) for code in FlagCode},
        "initiatives": [initiative_record(i, out_dir) for i in portfolio.initiatives],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def portfolio_csv(portfolio: Portfolio, out_dir: Path) -> str:
    """The CSV export: the same records, one row each, flags as columns."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for initiative in portfolio.initiatives:
        writer.writerow(_csv_row(initiative_record(initiative, out_dir)))
    return buffer.getvalue()


def _csv_row(record: dict[str, Any]) -> list[str]:
    codes = [flag["code"] for flag in record["flags"]]
    flat = {
        **record,
        "regressing": "; ".join(record["regressing"]),
        "flags": "; ".join(codes),
        **{f"flag_{code.value}": "yes" if code.value in codes else "" for code in FlagCode},
        **_evidence_cells(record["evidence"]),
        "problems": " | ".join(" ".join(p.split()) for p in record["problems"]),
    }
    return [_cell(flat[column]) for column in CSV_COLUMNS]


def _evidence_cells(evidence: dict[str, Any] | None) -> dict[str, object]:
    if evidence is None:
        return dict.fromkeys(
            ("evidence_evidenced", "evidence_partial", "evidence_missing"), None
        ) | {"evidence_required_missing": None}
    return {
        "evidence_evidenced": evidence["evidenced"],
        "evidence_partial": evidence["partial"],
        "evidence_missing": evidence["missing"],
        "evidence_required_missing": "; ".join(evidence["required_missing"]),
    }


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _iso(moment: dt.datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _promotion(initiative: Initiative) -> dict[str, Any] | None:
    """The latest go decision: when, on which run and charter, which model version; no free
    text (the iteration's name and who decided stay in the project's report)."""
    go = initiative.promotion
    if go is None:
        return None
    return {
        "run_id": go.run_id,
        "decided_at": _iso(go.decided_at),
        "charter_sha256": go.charter_sha256,
        "model_version": go.model_version,
        "complete": bool(go.standing.get("complete")),
    }
