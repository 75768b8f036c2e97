"""The dashboard: one self-contained HTML page that works from a file share.

Everything is in the page: the table (rendered here, so it reads without JavaScript), inline
CSS, a small vanilla script for sorting and filtering, and the summary charts as inline SVG. It
loads nothing from anywhere: a Content-Security-Policy with ``default-src 'none'`` and the
hashes of the page's own style and script enforces that in the browser, and also keeps any text
that reached the page from running as a script.

The page is rendered by a Jinja2 template with autoescaping on: charter fields are typed by
people, and every one of them is escaped. Each row links to the initiative's latest report,
relative to the output folder when possible.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.resources
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.charter.model import DecisionOption, Stage
from codesign.portfolio.charts import ROW_HEIGHT, WIDTH, summary_charts
from codesign.portfolio.exports import GENERATOR, report_link
from codesign.portfolio.model import (
    BANDS,
    FLAG_LABELS,
    GOVERNANCE_STATES,
    UNDECIDED,
    FlagCode,
    outcome_band,
)
from codesign.presentation import css_variables

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    import jinja2

    from codesign.portfolio.model import Flag, Initiative, Portfolio

STAGE_ORDER: Final = {stage: index for index, stage in enumerate(Stage)}
GOVERNANCE_ORDER: Final = {"failed": 0, "not run": 1, "passed": 2}
UNKNOWN_GOVERNANCE: Final = "unknown"


@dataclass(frozen=True)
class Row:
    """One initiative, as the table shows it: display text and the values sorting uses."""

    name: str
    path: str
    place: str
    """Where the project is, relative to the root it was found under (the path when none)."""
    broken: bool
    report_href: str | None
    site: str
    lead: str
    partner: str
    stage: str
    stage_sort: str
    decision: str
    outcomes_text: str
    outcomes_detail: str
    outcomes_sort: str
    outcomes_band: str
    evidence_text: str
    evidence_detail: str
    evidence_sort: str
    governance: str
    governance_detail: str
    governance_sort: str
    report_date: str
    report_sort: str
    report_failed: bool
    activity_date: str
    activity_detail: str
    activity_sort: str
    flags: tuple[Flag, ...]
    search: str

    @property
    def flag_codes(self) -> str:
        return " ".join(flag.code.value for flag in self.flags)


def render_dashboard(portfolio: Portfolio, out_dir: Path) -> str:
    """The dashboard page for ``portfolio``, with report links relative to ``out_dir``."""
    css, script = css_variables() + _asset("dashboard.css"), _asset("dashboard.js")
    summary = portfolio.summary()
    rows = [_row(i, out_dir, portfolio) for i in portfolio.initiatives]
    return _template().render(
        generator=GENERATOR,
        version=_version(),
        css=css,
        script=script,
        csp=(
            "default-src 'none'; "
            f"style-src '{_csp_hash(css)}'; script-src '{_csp_hash(script)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        ),
        generated=portfolio.generated_at,
        roots=[str(root) for root in portfolio.roots],
        stale_after_days=portfolio.stale_after_days,
        summary=summary,
        charts=summary_charts(summary),
        row_height=ROW_HEIGHT,
        chart_width=WIDTH,
        rows=rows,
        broken=[i for i in portfolio.initiatives if i.broken],
        stages=[stage.value for stage in Stage],
        decisions=[*(option.value for option in DecisionOption), UNDECIDED],
        bands=BANDS,
        governance_states=[*GOVERNANCE_STATES, UNKNOWN_GOVERNANCE],
        flag_labels=[(code.value, FLAG_LABELS[code]) for code in FlagCode],
    )


def _row(initiative: Initiative, out_dir: Path, portfolio: Portfolio) -> Row:
    report = initiative.report
    activity = initiative.last_activity
    outcomes_text, outcomes_detail, outcomes_sort = _outcomes(initiative)
    evidence_text, evidence_detail, evidence_sort = _evidence(initiative)
    governance = initiative.governance or UNKNOWN_GOVERNANCE
    stage = initiative.stage.value if initiative.stage is not None else ""
    decision = initiative.decision_label if initiative.charter_read else ""
    texts = (
        initiative.name,
        initiative.site,
        initiative.clinical_lead,
        initiative.partner,
        initiative.slug,
        stage,
        decision,
        initiative.path.name,
    )
    return Row(
        name=initiative.name,
        path=str(initiative.path),
        place=_place(initiative.path, portfolio.roots),
        broken=initiative.broken,
        report_href=report_link(report.path, out_dir) if report is not None else None,
        site=initiative.site or "",
        lead=initiative.clinical_lead or "",
        partner=initiative.partner or "",
        stage=stage,
        stage_sort=str(STAGE_ORDER[initiative.stage]) if initiative.stage is not None else "",
        decision=decision,
        outcomes_text=outcomes_text,
        outcomes_detail=outcomes_detail,
        outcomes_sort=outcomes_sort,
        outcomes_band=outcome_band(initiative) or "",
        governance=governance,
        governance_detail=_governance_detail(initiative),
        governance_sort=str(GOVERNANCE_ORDER.get(governance, -1))
        if initiative.charter_read
        else "",
        evidence_text=evidence_text,
        evidence_detail=evidence_detail,
        evidence_sort=evidence_sort,
        report_date=f"{report.created_at:%Y-%m-%d}" if report is not None else "",
        report_sort=report.created_at.isoformat() if report is not None else "",
        report_failed=initiative.report_status == "failed",
        activity_date=f"{activity.at:%Y-%m-%d}" if activity is not None else "",
        activity_detail=(
            _ago(activity.at, portfolio.generated_at, activity.kind) if activity is not None else ""
        ),
        activity_sort=activity.at.isoformat() if activity is not None else "",
        flags=initiative.flags,
        search=" ".join(text for text in texts if text).casefold(),
    )


def _outcomes(initiative: Initiative) -> tuple[str, str, str]:
    """Display text, detail and sort key of the outcomes met on the latest iteration."""
    if not initiative.charter_read:
        return "", "", ""
    if not initiative.outcomes_total:
        return "no outcomes", "the charter defines no outcome yet", ""
    tally = initiative.outcomes
    if tally is None:
        if initiative.iterations is None:
            return "?", "the iterations could not be read", ""
        return f"– / {initiative.outcomes_total}", "no iteration logged yet", "-1"
    latest = initiative.latest_iteration
    when = f" on {latest.started_at:%Y-%m-%d}" if latest is not None else ""
    judged = initiative.standing.iteration if initiative.standing is not None else None
    detail = f"{tally.measured} measured{when}, {initiative.iterations} iteration(s) in all"
    if judged is not None and judged.governance != "passed":
        # The override's reason is free text: it stays in the project's report.
        words = {"failed": "failed the gate", "not run": "not gated"}[judged.governance]
        overridden = " (overridden)" if judged.gate_override else ""
        detail += f"; its data {words}{overridden}"
    go = initiative.promotion
    if go is not None:
        detail += f"; go decision on {go.decided_at:%Y-%m-%d}"
    share = tally.share if tally.share is not None else 0.0
    return f"{tally.met} / {tally.total}", detail, f"{share:.6f}"


def _evidence(initiative: Initiative) -> tuple[str, str, str]:
    """Display text, detail and sort key of the evidence items the project holds."""
    tally = initiative.evidence
    if tally is None:
        return (
            ("?", "the iterations could not be read", "")
            if initiative.charter_read
            else ("", "", "")
        )
    detail = f"{tally.partial} partial, {tally.missing} missing"
    if tally.required_missing:
        detail += f"; {len(tally.required_missing)} required not evidenced"
    return f"{tally.evidenced} / {tally.total}", detail, f"{tally.evidenced / tally.total:.6f}"


def _place(path: Path, roots: tuple[Path, ...]) -> str:
    for root in roots:
        if path == root:
            return path.name
        if path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return str(path)


def _governance_detail(initiative: Initiative) -> str:
    checked = initiative.governance_checked_at
    if checked is None:
        return ""
    detail = f"checked {checked:%Y-%m-%d}"
    if initiative.governance_current is False:
        detail += " under an earlier charter"
    failed = [run for run in initiative.gate_history if not run.passed]
    if failed and initiative.governance == "passed":
        last = failed[0]
        kinds = len(last.findings)
        detail += f"; failed before on {last.checked_at:%Y-%m-%d} ({kinds} kind(s) of finding)"
    return detail


def _ago(moment: dt.datetime, now: dt.datetime, kind: str) -> str:
    days = (now - moment).days
    when = "today" if days <= 0 else ("yesterday" if days == 1 else f"{days} days ago")
    return f"{kind}, {when}"


def _csp_hash(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


@functools.cache
def _asset(name: str) -> str:
    return (importlib.resources.files("codesign.portfolio") / "assets" / name).read_text("utf-8")


@functools.cache
def _template() -> jinja2.Template:
    import jinja2

    environment = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return environment.from_string(_asset("dashboard.html.j2"))


def _version() -> str:
    from codesign import __version__

    return str(__version__)
