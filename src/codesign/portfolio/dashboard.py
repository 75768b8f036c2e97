"""The dashboard: one self-contained HTML page that works from a file share.

Everything is in the page: the table (rendered here, so it reads without JavaScript), inline
CSS, a small vanilla script for sorting and filtering, and the summary charts as inline SVG. It
loads nothing from anywhere: a Content-Security-Policy with ``default-src 'none'`` and the
hashes of the page's own style and script enforces that in the browser, and also keeps any text
that reached the page from running as a script.

The page is rendered by a Jinja2 template with autoescaping on: charter fields are typed by
people, and every one of them is escaped. Each row links to the initiative's latest report,
relative to the output folder when possible.

Every word a reader meets is a catalogue message (:mod:`codesign.i18n`), said here in the
current language and handed to the template as text; numbers and dates are Babel's. A portfolio
spans projects whose charters may ask for different languages, so it follows none of them: its
language is ``--lang``, ``CODESIGN_LANG`` or the locale (:func:`codesign.i18n.current_language`
with no project language set). The filters' values and the table's sort keys stay stable
English keys; only what is shown is translated.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import importlib.resources
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign import i18n
from codesign.charter.model import DecisionOption, Stage
from codesign.i18n import _, ngettext
from codesign.portfolio.charts import (
    ROW_HEIGHT,
    WIDTH,
    decision_label,
    governance_label,
    stage_label,
    summary_charts,
)
from codesign.portfolio.exports import GENERATOR, report_link
from codesign.portfolio.model import (
    BANDS,
    GOVERNANCE_STATES,
    UNDECIDED,
    FlagCode,
    flag_label,
    outcome_band,
)
from codesign.presentation import MISSING, css_variables, format_share

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    import jinja2
    from markupsafe import Markup

    from codesign.portfolio.model import Flag, Initiative, Portfolio, Summary

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
    """The stage's key (a filter value); :attr:`stage_text` is its word."""
    stage_text: str
    stage_sort: str
    decision: str
    decision_text: str
    outcomes_text: str
    outcomes_detail: str
    outcomes_sort: str
    outcomes_band: str
    evidence_text: str
    evidence_detail: str
    evidence_sort: str
    governance: str
    governance_text: str
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
        lang=i18n.current_language(),
        text=_texts(portfolio, summary),
        generator=GENERATOR,
        css=css,
        script=script,
        csp=(
            "default-src 'none'; "
            f"style-src '{_csp_hash(css)}'; script-src '{_csp_hash(script)}'; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        ),
        summary=summary,
        charts=summary_charts(summary),
        row_height=ROW_HEIGHT,
        chart_width=WIDTH,
        rows=rows,
        broken=[i for i in portfolio.initiatives if i.broken],
        stages=[(stage.value, stage.label) for stage in Stage],
        decisions=[
            (key, decision_label(key))
            for key in (*(option.value for option in DecisionOption), UNDECIDED)
        ],
        bands=[(band, _(band)) for band in BANDS],
        governance_states=[
            (state, governance_label(state)) for state in (*GOVERNANCE_STATES, UNKNOWN_GOVERNANCE)
        ],
        flag_labels=[(code.value, flag_label(code)) for code in FlagCode],
    )


def _texts(portfolio: Portfolio, summary: Summary) -> dict[str, str | Markup]:
    """The page's sentences in the reader's language, its numbers and dates written Babel's way.

    Sentences that hold markup (a link, a code span) are escaped first and their pieces put in
    as HTML (:func:`_html`); the others are plain text, escaped by the template.
    """
    n = summary.initiatives
    total = len(portfolio.initiatives)
    roots = [_code(str(root)) for root in portfolio.roots]
    share = (
        format_share(summary.outcomes_met / summary.outcomes_total)
        if summary.outcomes_total
        else MISSING
    )
    shown = {"shown": "{shown}", "column": "{column}"}  # filled in by the page's script
    return {
        "title": ngettext("AI portfolio: {n} initiative", "AI portfolio: {n} initiatives", n),
        "heading": _("AI portfolio"),
        "found": _html(
            ngettext(
                "{n} initiative found under {roots}; generated {when} by codesign {version}.",
                "{n} initiatives found under {roots}; generated {when} by codesign {version}.",
                n,
                roots="{roots}",
                when="{when}",
                version="{version}",
            ),
            roots=_join(roots),
            when=i18n.format_datetime(portfolio.generated_at),
            version=_version(),
        ),
        "also": _html(
            _("Also as {csv} and {json}."),
            csv=_link("portfolio.csv", "CSV"),
            json=_link("portfolio.json", "JSON"),
        ),
        "summary_label": _("Summary"),
        "card_initiatives": _card(ngettext("{n} initiative", "{n} initiatives", n, n="{n}"), n),
        "card_flagged": _card(_("{n} flagged"), summary.flagged),
        "card_broken": _card(_("{n} cannot be read fully"), summary.broken),
        "card_failing": _card(_("{n} failing governance"), summary.by_governance["failed"]),
        "card_outcomes": _html(
            _("{share} outcomes met ({met} of {total}, latest iterations)"),
            share=_strong(share),
            met=i18n.format_integer(summary.outcomes_met),
            total=i18n.format_integer(summary.outcomes_total),
        ),
        "charts_heading": _("Summary"),
        "bar_hint": _("show these in the table"),
        "table_heading": _("Initiatives"),
        "filters_label": _("Filter the initiatives"),
        "search": _("Search"),
        "search_placeholder": _("title, site, lead, partner"),
        "stage": _("Stage"),
        "decision": _("Decision"),
        "outcomes": _("Outcomes"),
        "governance": _("Governance"),
        "flag": _("Flag"),
        "all": _("all"),
        "any_flag": _("any flag"),
        "no_flag": _("no flag"),
        "clear_filters": _("Clear filters"),
        "shown_all": ngettext("{n} initiative", "{n} initiatives", n),
        "shown": ngettext(
            "{shown} of {n} initiative shown", "{shown} of {n} initiatives shown", total, **shown
        ),
        "shown_ascending": ngettext(
            "{shown} of {n} initiative shown; sorted by {column}, ascending",
            "{shown} of {n} initiatives shown; sorted by {column}, ascending",
            total,
            **shown,
        ),
        "shown_descending": ngettext(
            "{shown} of {n} initiative shown; sorted by {column}, descending",
            "{shown} of {n} initiatives shown; sorted by {column}, descending",
            total,
            **shown,
        ),
        "caption": _("Every initiative; activate a column header to sort by it."),
        "col_initiative": _("Initiative"),
        "col_site": _("Site"),
        "col_stage": _("Stage"),
        "col_lead": _("Clinical lead"),
        "col_partner": _("Partner"),
        "col_decision": _("Decision"),
        "col_outcomes": _("Outcomes met"),
        "col_governance": _("Governance"),
        "col_evidence": _("Evidence"),
        "col_report": _("Last report"),
        "col_activity": _("Last activity"),
        "col_flags": _("Flags"),
        "open_report": _("open the latest report"),
        "none": _("none"),
        "report_run_failed": _("the last report run failed"),
        "failed": _("failed"),
        "empty": _("No initiative matches these filters."),
        "no_project": _html(
            _("No codesign project (a folder holding {file}) was found under these folders."),
            file=_code("codesign.yaml"),
        ),
        "broken_heading": _("Cannot be read fully ({n})", n=i18n.format_integer(summary.broken)),
        "broken_intro": _(
            "What could be read of these projects is in the table; this is what could not, and why."
        ),
        "flags_legend": _html(
            _("Flags: {flags}."),
            flags=_join([_strong(flag_label(code)) for code in FlagCode]),
        ),
        "inactive_rule": ngettext(
            "An initiative is inactive after {n} day without an iteration, a gate run, a report, "
            "a sign-off, a charter edit or feedback.",
            "An initiative is inactive after {n} days without an iteration, a gate run, a "
            "report, a sign-off, a charter edit or feedback.",
            portfolio.stale_after_days,
        ),
        "footer_rule": _(
            "Retired initiatives are not flagged. The portfolio shows charter fields, counts, "
            "dates and metric values only."
        ),
    }


def _html(message: str, /, **pieces: object) -> Markup:
    """A translated ``message`` (placeholders still in it) as HTML: its text escaped, each
    ``{piece}`` put in as it is when it is HTML already (:class:`Markup`), escaped otherwise."""
    from markupsafe import Markup, escape

    return Markup(escape(message)).format(**pieces)  # noqa: S704 (escaped first)


def _join(pieces: list[Markup]) -> Markup:
    from markupsafe import Markup

    return Markup(", ").join(pieces)


def _code(text: str) -> Markup:
    from markupsafe import Markup

    return Markup("<code>{}</code>").format(text)


def _strong(text: str) -> Markup:
    from markupsafe import Markup

    return Markup("<strong>{}</strong>").format(text)


def _link(href: str, text: str) -> Markup:
    from markupsafe import Markup

    return Markup('<a href="{}">{}</a>').format(href, text)


def _card(message: str, count: int) -> Markup:
    """A summary card's words, its count in bold: ``<strong>3</strong> flagged``."""
    return _html(message, n=_strong(i18n.format_integer(count)))


def _row(initiative: Initiative, out_dir: Path, portfolio: Portfolio) -> Row:
    report = initiative.report
    activity = initiative.last_activity
    outcomes_text, outcomes_detail, outcomes_sort = _outcomes(initiative)
    evidence_text, evidence_detail, evidence_sort = _evidence(initiative)
    governance = initiative.governance or UNKNOWN_GOVERNANCE
    stage = initiative.stage.value if initiative.stage is not None else ""
    stage_text = stage_label(stage) if stage else ""
    decision = initiative.decision_label if initiative.charter_read else ""
    decision_text = decision_label(decision) if decision else ""
    texts = (
        initiative.name,
        initiative.site,
        initiative.clinical_lead,
        initiative.partner,
        initiative.slug,
        stage,
        stage_text,
        decision,
        decision_text,
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
        stage_text=stage_text,
        stage_sort=str(STAGE_ORDER[initiative.stage]) if initiative.stage is not None else "",
        decision=decision,
        decision_text=decision_text,
        outcomes_text=outcomes_text,
        outcomes_detail=outcomes_detail,
        outcomes_sort=outcomes_sort,
        outcomes_band=outcome_band(initiative) or "",
        governance=governance,
        governance_text=governance_label(governance),
        governance_detail=_governance_detail(initiative),
        governance_sort=str(GOVERNANCE_ORDER.get(governance, -1))
        if initiative.charter_read
        else "",
        evidence_text=evidence_text,
        evidence_detail=evidence_detail,
        evidence_sort=evidence_sort,
        report_date=i18n.format_date(report.created_at) if report is not None else "",
        report_sort=report.created_at.isoformat() if report is not None else "",
        report_failed=initiative.report_status == "failed",
        activity_date=i18n.format_date(activity.at) if activity is not None else "",
        activity_detail=(
            _ago(activity.at, portfolio.generated_at, activity.kind) if activity is not None else ""
        ),
        activity_sort=activity.at.isoformat() if activity is not None else "",
        flags=initiative.flags,
        search=" ".join(text for text in texts if text).casefold(),
    )


def _count(met: int, total: int) -> str:
    """``3 / 5``: how many of how many."""
    return _("{met} / {total}", met=i18n.format_integer(met), total=i18n.format_integer(total))


def _outcomes(initiative: Initiative) -> tuple[str, str, str]:
    """Display text, detail and sort key of the outcomes met on the latest iteration."""
    if not initiative.charter_read:
        return "", "", ""
    if not initiative.outcomes_total:
        return _("no outcomes"), _("the charter defines no outcome yet"), ""
    tally = initiative.outcomes
    if tally is None:
        if initiative.iterations is None:
            return "?", _("the iterations could not be read"), ""
        return (
            _("{missing} / {total}", missing=MISSING, total=initiative.outcomes_total),
            _("no iteration logged yet"),
            "-1",
        )
    latest = initiative.latest_iteration
    iterations = initiative.iterations or 0
    details = [
        ngettext(
            "{measured} measured on {date}, {n} iteration in all",
            "{measured} measured on {date}, {n} iterations in all",
            iterations,
            measured=tally.measured,
            date=i18n.format_date(latest.started_at),
        )
        if latest is not None
        else ngettext(
            "{measured} measured, {n} iteration in all",
            "{measured} measured, {n} iterations in all",
            iterations,
            measured=tally.measured,
        )
    ]
    judged = initiative.standing.iteration if initiative.standing is not None else None
    if judged is not None and judged.governance != "passed":
        # The override's reason is free text: it stays in the project's report.
        failed = judged.governance == "failed"
        if judged.gate_override:
            details.append(
                _("its data failed the gate (overridden)")
                if failed
                else _("its data not gated (overridden)")
            )
        else:
            details.append(_("its data failed the gate") if failed else _("its data not gated"))
    go = initiative.promotion
    if go is not None:
        details.append(_("go decision on {date}", date=i18n.format_date(go.decided_at)))
    share = tally.share if tally.share is not None else 0.0
    return _count(tally.met, tally.total), _("; ").join(details), f"{share:.6f}"


def _evidence(initiative: Initiative) -> tuple[str, str, str]:
    """Display text, detail and sort key of the evidence items the project holds."""
    tally = initiative.evidence
    if tally is None:
        return (
            ("?", _("the iterations could not be read"), "")
            if initiative.charter_read
            else ("", "", "")
        )
    detail = _("{partial} partial, {missing} missing", partial=tally.partial, missing=tally.missing)
    if tally.required_missing:
        detail = ngettext(
            "{partial} partial, {missing} missing; {n} required not evidenced",
            "{partial} partial, {missing} missing; {n} required not evidenced",
            len(tally.required_missing),
            partial=tally.partial,
            missing=tally.missing,
        )
    return (
        _count(tally.evidenced, tally.total),
        detail,
        f"{tally.evidenced / tally.total:.6f}",
    )


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
    date = i18n.format_date(checked)
    details = [
        _("checked {date} under an earlier charter", date=date)
        if initiative.governance_current is False
        else _("checked {date}", date=date)
    ]
    failed = [run for run in initiative.gate_history if not run.passed]
    if failed and initiative.governance == "passed":
        last = failed[0]
        details.append(
            ngettext(
                "failed before on {date} ({n} kind of finding)",
                "failed before on {date} ({n} kinds of finding)",
                len(last.findings),
                date=i18n.format_date(last.checked_at),
            )
        )
    return _("; ").join(details)


def _ago(moment: dt.datetime, now: dt.datetime, kind: str) -> str:
    days = (now - moment).days
    what = _(kind)
    if days <= 0:
        return _("{what}, today", what=what)
    if days == 1:
        return _("{what}, yesterday", what=what)
    return ngettext("{what}, {n} day ago", "{what}, {n} days ago", days, what=what)


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
