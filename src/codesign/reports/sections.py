"""The sections of a project's report, as objects a notebook cell displays.

The report notebook (``notebooks/report.ipynb``) holds no logic: each cell calls one method of
:class:`Report` and the returned :class:`Section` shows itself as HTML (``_repr_html_``) in
JupyterLab, in the executed notebook and in the exported HTML file, and as text elsewhere::

    from codesign.reports.sections import load_report

    report = load_report(project_dir)
    report.summary()      # then scorecard(), trends(), governance(), decision(), ...

What a report reads is already aggregated: the charter, the iterations in the tracking store
(values per outcome, read with :func:`codesign.tracking.reading.read_store`, which does not import
MLflow for the embedded store), the governance gate's stored result (counts per category, never
a value) and the feedback records (roles and scores). No section reads patient data.

A section whose source cannot be read (a damaged feedback file, an unreachable tracking server)
says so in place; the rest of the report still shows.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal

from codesign import i18n, presentation
from codesign.charter.feedback import FeedbackKind, feedback_for, read_feedback
from codesign.charter.model import DecisionOption
from codesign.charter.registry import REGISTRY
from codesign.exceptions import CodesignError
from codesign.i18n import N_, _, ngettext
from codesign.presentation import BLUE, SKY_BLUE, esc
from codesign.project import (
    CATEGORY_LABELS,
    FINDING_CATEGORIES,
    Project,
    latest_gate_result,
)
from codesign.reports import markup
from codesign.reports.charts import TrendPoint, trend_chart
from codesign.reports.markup import (
    Column,
    pretty_target,
    status_mark,
    status_of,
    value_text,
)
from codesign.tracking.comparison import build_comparison
from codesign.tracking.gating import gate_history
from codesign.tracking.promotion import read_promotions, stage_standing
from codesign.tracking.reading import read_store
from codesign.tracking.standing import standing_of

if TYPE_CHECKING:
    from collections.abc import Sequence

    from codesign.charter.feedback import FeedbackRecord
    from codesign.charter.model import Charter, Outcome
    from codesign.project import GateRecord
    from codesign.tracking.comparison import Comparison, Direction
    from codesign.tracking.promotion import Promotion
    from codesign.tracking.reading import IterationRecord
    from codesign.tracking.standing import Standing

logger = logging.getLogger(__name__)

TREND_WORDS: Final[dict[str, tuple[str, str]]] = {
    "better": (N_("better"), presentation.BLUISH_GREEN),
    "worse": (N_("worse"), presentation.VERMILLION),
    "same": (N_("unchanged"), presentation.GREY),
}
"""How the latest value moved against the one before, in the target's direction."""

HEADINGS: Final[dict[str, tuple[str, str]]] = {
    "scorecard": (
        N_("Outcome scorecard"),
        N_(
            "Every outcome the team agreed on, with its target and its value on the iteration "
            "judged (the latest): an outcome that iteration did not measure is not measured, "
            "never borrowed from another."
        ),
    ),
    "trends": (
        N_("Trends over the model iterations"),
        N_(
            "One chart per outcome, oldest iteration on the left. The dashed line is the target; "
            "the shaded side of it is where the target is met. A round marker meets the target, "
            "a cross misses it."
        ),
    ),
    "governance": (
        N_("Governance gate"),
        N_(
            "Is the data fit to use? The gate checks it against the charter's data contract and "
            "counts what it finds, per kind of problem. It never keeps a value from the data."
        ),
    ),
    "risks": (
        N_("Risks to patients"),
        N_(
            "The hazard log: what can go wrong for a patient, how serious (severity) and how "
            "likely it is, before and after the controls the team put in place. Green cells are "
            "acceptable, orange ones tolerable only once reduced as far as practicable (ALARP), "
            "red ones unacceptable."
        ),
    ),
    "decision": (N_("Build, buy or partner"), ""),
    "feedback": (N_("Feedback from the people who use it"), ""),
    "evidence": (
        N_("Evidence for regulators and ethics boards"),
        N_(
            "What the documents an ethics board, a notified body or a buyer asks for (EU AI Act "
            "Annex IV, TRIPOD+AI, DECIDE-AI) would say today: each item evidenced, partial or "
            "missing."
        ),
    ),
    "signoffs": (N_("Sign-off"), ""),
    "footer": (
        "",
        N_(
            "Made by codesign from the project's charter, its tracked iterations, its governance "
            "gate results and its feedback records. The code of each section is in "
            "`notebooks/report.ipynb`; run it again with `codesign report run`."
        ),
    ),
}
"""Each section's heading and its one-paragraph introduction (Markdown), by section name."""


@dataclass(frozen=True)
class Heading:
    """A section's heading and introduction, shown as Markdown (rendered like a Markdown cell)."""

    title: str
    intro: str

    def _repr_markdown_(self) -> str:
        parts = [f"## {self.title}"] if self.title else ["---"]
        if self.intro:
            parts.append(self.intro if self.title else f"*{self.intro}*")
        return "\n\n".join(parts)

    def __repr__(self) -> str:
        return self._repr_markdown_()


@dataclass(frozen=True)
class Section:
    """A part of the report: HTML for people, text for logs and plain viewers."""

    html: str
    text: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return self.text


@dataclass(frozen=True)
class OutcomeStatus:
    """Where one outcome stands on the judged iteration (:mod:`codesign.tracking.standing`).

    ``latest`` is the value *the judged iteration* logged, never one borrowed from another
    iteration; ``note`` says why it is not measured and where it was last measured.
    """

    outcome: Outcome
    latest: float | None
    latest_iteration: str | None
    """The judged iteration when it measured the outcome, else ``None``."""
    met: bool | None
    direction: Direction | None
    regression: bool
    points: tuple[TrendPoint, ...]
    note: str | None = None

    @property
    def status(self) -> markup.Status:
        return status_of(self.met)


@dataclass(frozen=True)
class FeedbackMeasure:
    """One feedback measure over every record of its kind (SUS, trust, minutes, reviews)."""

    metric: str
    label: str
    value: float | None
    responses: int
    outcome: Outcome | None
    """The charter's outcome measured by this metric, if any (its target applies)."""

    @property
    def met(self) -> bool | None:
        if self.value is None or self.outcome is None:
            return None
        return self.outcome.target.met(self.value)


_FEEDBACK_MEASURES: Final = (
    ("sus", FeedbackKind.SUS, N_("Usability (SUS, 0 to 100)")),
    ("trust", FeedbackKind.TRUST, N_("Trust (1 to 5)")),
    ("minutes_saved", FeedbackKind.TIME_MOTION, N_("Minutes saved per task (median)")),
    ("reviewed_accuracy", FeedbackKind.REVIEW, N_("Outputs rated accurate by reviewers (share)")),
)


@dataclass(frozen=True)
class Report:
    """Everything one report shows, read once; one method per section."""

    project: Project
    charter: Charter
    experiment: str
    generated_at: dt.datetime
    comparison: Comparison | None = None
    iterations_error: str | None = None
    gate: GateRecord | None = None
    feedback_records: tuple[FeedbackRecord, ...] = ()
    feedback_error: str | None = None
    outcome_statuses: tuple[OutcomeStatus, ...] = ()
    """Every outcome of the charter, in charter order, with its value and verdict on the
    judged iteration."""
    standing: Standing | None = None
    """The judged iteration's standing: what compare, the portfolio and promote also state."""
    gate_history: tuple[GateRecord, ...] = ()
    """Every gate result kept, newest first: a failed run stays visible after a later pass."""
    promotions: tuple[Promotion, ...] = ()
    """The go decisions recorded by ``codesign promote``, oldest first."""
    records: tuple[IterationRecord, ...] = ()
    """The iterations as read from the store, oldest first (the comparison's rows)."""
    language: i18n.Language = i18n.DEFAULT_LANGUAGE
    """The language the report is written in: ``--lang`` / ``CODESIGN_LANG``, else the
    charter's ``language:``, else the locale's (:mod:`codesign.i18n`)."""

    # --- reading ---------------------------------------------------------------------------------

    @classmethod
    def load(
        cls,
        project_dir: Path | str = ".",
        *,
        tracking_uri: str | None = None,
        now: dt.datetime | None = None,
    ) -> Report:
        """Read the project holding ``project_dir`` (itself or the nearest folder above it).

        The charter must be valid (a :class:`~codesign.exceptions.CharterError` stops the report:
        there is nothing to report on); the iterations and the feedback are shown as unreadable
        in their sections when they cannot be read.
        """
        project = Project.find(Path(project_dir))
        charter = project.load_charter().charter
        experiment = project.slug_of(charter)
        comparison, iterations_error = _read_comparison(project, charter, experiment, tracking_uri)
        records, feedback_error = _read_feedback(project)
        standing = (
            None
            if comparison is None
            else standing_of(
                charter, comparison.records, feedback=records, comparison=comparison.comparison
            )
        )
        return cls(
            project=project,
            charter=charter,
            experiment=experiment,
            generated_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
            comparison=None if comparison is None else comparison.comparison,
            iterations_error=iterations_error,
            gate=latest_gate_result(project),
            feedback_records=tuple(records),
            feedback_error=feedback_error,
            outcome_statuses=tuple(
                _outcome_statuses(
                    charter, None if comparison is None else comparison.comparison, standing
                )
            ),
            standing=standing,
            gate_history=tuple(gate_history(project)),
            promotions=tuple(read_promotions(project)),
            records=() if comparison is None else comparison.records,
            language=i18n.resolve_language(i18n.explicit_language(), charter.language),
        )

    @property
    def judged(self) -> str | None:
        """The name of the iteration this report judges (the latest), ``None`` before any."""
        if self.standing is None or self.standing.iteration is None:
            return None
        return self.standing.iteration.name

    def judged_feedback(self) -> list[FeedbackRecord]:
        """The feedback records about the judged iteration (all of them before any iteration)."""
        if self.judged is None:
            return list(self.feedback_records)
        return feedback_for(self.feedback_records, self.judged)

    def feedback_measures(self) -> list[FeedbackMeasure]:
        """SUS, trust, minutes saved and reviewed accuracy for the judged iteration.

        A measure the charter has an outcome for states the standing's value: the one the
        judged iteration logged, as ``compare`` and the portfolio state it. The others are
        computed by the same metric implementations on the records about that iteration.
        """
        from codesign.charter.registry import NoParams
        from codesign.tracking.metrics import EvaluationData, implementation_for

        about = self.judged_feedback()
        data = EvaluationData(feedback=tuple(about))
        measures = []
        for metric, kind, label in _FEEDBACK_MEASURES:
            spec = REGISTRY.get(metric)
            if spec is None:  # pragma: no cover - the registry holds the built-ins
                continue
            outcome = next((o for o in self.charter.outcomes if o.metric == metric), None)
            judged = self.standing.outcome(outcome.id) if outcome and self.standing else None
            if judged is not None and self.judged is not None:
                value = judged.value
            else:
                value = implementation_for(spec).compute(data, NoParams())
            measures.append(
                FeedbackMeasure(
                    metric=metric,
                    label=_(label),
                    value=value,
                    responses=sum(1 for r in about if r.kind is kind),
                    outcome=outcome,
                )
            )
        return measures

    # --- sections --------------------------------------------------------------------------------

    def heading(self, section: str) -> Heading:
        """The heading and introduction of ``section`` (``scorecard``, ``trends``...).

        The report notebook shows them in the report's language from code cells; ``footer``
        is the closing line.
        """
        title, intro = HEADINGS[section]
        with i18n.use_language(self.language):
            return Heading(_(title) if title else "", _(intro) if intro else "")

    def summary(self) -> Section:
        """The use case in a few lines, and where it stands, for someone with one minute."""
        with i18n.use_language(self.language):
            return summary_section(self)

    def scorecard(self) -> Section:
        """Every outcome: target, latest value, met or not, trend."""
        with i18n.use_language(self.language):
            return scorecard_section(self)

    def trends(self) -> Section:
        """One chart per outcome: its value over the iterations, with the target drawn."""
        with i18n.use_language(self.language):
            return trends_section(self)

    def governance(self) -> Section:
        """The governance gate's latest result: counts per category, never a value."""
        with i18n.use_language(self.language):
            return governance_section(self)

    def decision(self) -> Section:
        """Build, buy or partner: the choice and each option's weighted score."""
        with i18n.use_language(self.language):
            return decision_section(self)

    def feedback(self) -> Section:
        """What the people who use the tool say: SUS, trust, minutes saved, reviews."""
        with i18n.use_language(self.language):
            return feedback_section(self)

    def signoffs(self) -> Section:
        """Who approved this version of the charter, and whose approval is still open."""
        with i18n.use_language(self.language):
            return signoffs_section(self)

    def risks(self) -> Section:
        """The hazard log: a 5×5 risk matrix before and after controls, then each hazard."""
        from codesign.reports.risk_matrix import risks_html

        with i18n.use_language(self.language):
            return Section(*risks_html(self.charter, self.standing))

    def evidence(self) -> Section:
        """Evidenced, partial and missing items per framework, and the gaps to close first."""
        with i18n.use_language(self.language):
            return self._evidence()

    def _evidence(self) -> Section:
        from codesign.reports import evidence_summary

        if self.standing is None:
            return Section(*evidence_summary.unavailable(self.iterations_error or "no store"))
        try:
            evidence = evidence_summary.judge(
                self.project,
                self.charter,
                self.records,
                self.standing,
                len(self.feedback_records),
            )
        except CodesignError as e:  # an unknown required item: said in place
            return Section(*evidence_summary.unavailable(e))
        return Section(*evidence_summary.evidence_html(evidence))


def load_report(
    project_dir: Path | str = ".",
    *,
    tracking_uri: str | None = None,
    now: dt.datetime | None = None,
) -> Report:
    """:meth:`Report.load`: what the report notebook calls first."""
    return Report.load(project_dir, tracking_uri=tracking_uri, now=now)


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Iterations:
    records: tuple[IterationRecord, ...]
    comparison: Comparison


def _read_comparison(
    project: Project, charter: Charter, experiment: str, tracking_uri: str | None
) -> tuple[_Iterations | None, str | None]:
    try:
        records = read_store(project.tracking_uri(tracking_uri), experiment)
    except CodesignError as e:
        logger.info("iterations of %s could not be read: %s", experiment, e)  # shown in place
        return None, str(e)
    return _Iterations(tuple(records), build_comparison(charter, experiment, records)), None


def _read_feedback(project: Project) -> tuple[list[FeedbackRecord], str | None]:
    if not project.feedback_path.is_file():
        return [], None
    try:
        return read_feedback(project.feedback_path), None
    except CodesignError as e:
        logger.info("feedback of %s could not be read: %s", project.root, e)  # shown in place
        return [], str(e)


def _outcome_statuses(
    charter: Charter, comparison: Comparison | None, standing: Standing | None
) -> list[OutcomeStatus]:
    statuses = []
    iterations = comparison.iterations if comparison is not None else ()
    for outcome in charter.outcomes:
        points = []
        for iteration in iterations:
            cell = iteration.cells.get(outcome.id)
            value, met = (cell.value, cell.met) if cell is not None else (None, None)
            points.append(TrendPoint(iteration=iteration.name, value=value, met=met))
        trend = comparison.trends.get(outcome.id) if comparison is not None else None
        judged = standing.outcome(outcome.id) if standing is not None else None
        measured = judged is not None and judged.value is not None
        statuses.append(
            OutcomeStatus(
                outcome=outcome,
                latest=judged.value if judged is not None else None,
                latest_iteration=judged.iteration if judged is not None and measured else None,
                met=judged.met if judged is not None else None,
                direction=trend.direction if trend is not None else None,
                regression=bool(judged is not None and judged.regression),
                points=tuple(points),
                note=judged.note if judged is not None else None,
            )
        )
    return statuses


# --- the sections ---------------------------------------------------------------------------------


def summary_section(report: Report) -> Section:
    charter, use_case = report.charter, report.charter.use_case
    statuses = report.outcome_statuses
    counts = {s: sum(1 for o in statuses if o.status == s) for s in presentation.VERDICTS}
    iterations = len(report.comparison.iterations) if report.comparison else 0
    gate = report.gate.status if report.gate else "not run"
    open_signoffs = len(open_signoffs_of(charter))
    choice = charter.decision.choice
    facts = [
        (_("Problem"), use_case.problem),
        (_("Setting"), use_case.setting),
        (_("Patients"), use_case.population),
        (_("Used by"), ", ".join(use_case.intended_users) or None),
        (_("Site"), use_case.site),
        (_("Partner"), use_case.partner),
        (_("Clinical lead"), charter.clinical_lead.name if charter.clinical_lead else None),
        (_("Stage"), _stage_text(charter, report.promotions)),
        (_("Decision"), choice.label if choice else _("not made yet")),
    ]
    rows = "".join(
        f'<tr><th style="text-align:left;padding:2px 14px 2px 0;vertical-align:top;'
        f'font-weight:600">{esc(k)}</th><td style="text-align:left;padding:2px 0">{esc(v)}</td>'
        "</tr>"
        for k, v in facts
        if v
    )
    if not statuses:
        standing = esc(
            _("No outcomes are defined yet: the workshop agrees what success means first.")
        )
    elif not iterations:
        standing = esc(
            ngettext(
                "{n} outcome defined; no model iteration has been measured yet.",
                "{n} outcomes defined; no model iteration has been measured yet.",
                len(statuses),
            )
        )
    else:
        judged = report.standing.iteration if report.standing is not None else None
        name = judged.name if judged is not None else _("the latest iteration")
        standing = _(
            "Judged on <strong>{name}</strong>, the latest iteration ({iterations} iteration(s) "
            "logged); of {outcomes} outcome(s): <strong>{met} met</strong>, <strong>{not_met} not "
            "met</strong>, {not_measured} not measured on it.",
            name=esc(name),
            iterations=iterations,
            outcomes=len(statuses),
            met=counts["met"],
            not_met=counts["not met"],
            not_measured=counts["not measured"],
        )
        if judged is not None:
            standing += " " + esc(_("Its data: {gate}.", gate=judged.gate_text))
    gate_text = {
        "passed": esc(_("the governance gate passed on the latest data checked")),
        "failed": _("<strong>the governance gate failed</strong> on the latest data checked"),
        "not run": esc(_("the governance gate has not run yet")),
    }[gate]
    signoff_text = (
        ngettext(
            "<strong>{n} sign-off open</strong>",
            "<strong>{n} sign-offs open</strong>",
            open_signoffs,
        )
        if open_signoffs
        else esc(_("every sign-off is up to date"))
    )
    go = report.promotions[-1] if report.promotions else None
    if go is not None:
        standing += "<br>" + esc(_("Go decision: {summary}.", summary=go.summary()))
    when = report.generated_at
    version = charter.content_sha256()[:12]
    when_text = i18n.format_datetime(when, charter.reports.timezone)
    html = (
        f'<h1 style="margin-bottom:0.1em">{esc(use_case.title)}</h1>'
        + markup.note(
            _(
                "Report of {when} · charter version <code>{version}</code> · project "
                "<code>{project}</code>",
                when=esc(when_text),
                version=version,
                project=esc(report.experiment),
            )
        )
        + markup.callout(
            _(
                "{standing}<br>Also: {gate}; {signoffs}.",
                standing=standing,
                gate=gate_text,
                signoffs=signoff_text,
            )
        )
        + f'<table style="border-collapse:collapse;margin:0.4em 0">{rows}</table>'
    )
    text_standing = (
        f"{report.standing.headline() if report.standing else 'no iteration'}; "
        f"{iterations} iteration(s); governance {gate}; {open_signoffs} sign-off(s) open"
    )
    text = f"{use_case.title}\nReport of {when_text}, charter {version}\n{text_standing}"
    if go is not None:
        text += f"\ngo decision: {go.summary()}"
    return Section(html, text)


def _stage_text(charter: Charter, promotions: Sequence[Promotion]) -> str:
    """The stage and what backs it: "pilot (go decision: ...)", or what is missing."""
    stage = stage_standing(charter, list(promotions))
    problem = stage.problem()
    if problem is not None:
        return _("{stage}: {problem}", stage=stage.stage.label, problem=problem)
    if stage.backing:
        return _("{stage} ({backing})", stage=stage.stage.label, backing=stage.backing)
    return stage.stage.label


def scorecard_section(report: Report) -> Section:
    statuses = report.outcome_statuses
    if not statuses:
        message = _(
            "No outcomes yet: agree in the workshop what success means, with a target each."
        )
        return Section(markup.paragraph(f"<em>{esc(message)}</em>"), message)
    judged = report.judged
    columns = (
        Column(_("Outcome")),
        Column(_("Category")),
        Column(_("Target"), "right"),
        Column(_("Value on {iteration}", iteration=judged) if judged else _("Value"), "right"),
        Column(_("Verdict")),
        Column(_("Trend")),
        Column(_("Owner")),
    )
    rows = []
    lines = []
    for s in statuses:
        outcome = s.outcome
        spec = REGISTRY.get(outcome.metric)
        metric_title = spec.display_title if spec else outcome.metric
        unit = f" {spec.display_unit}" if spec and spec.unit else ""
        value = value_text(s.latest) + unit if s.latest is not None else "–"
        said = s.note or (
            _("on {iteration}", iteration=s.latest_iteration) if s.latest_iteration else ""
        )
        where = (
            f'<br><span style="color:{presentation.GREY};font-size:0.85em">{esc(said)}</span>'
            if said
            else ""
        )
        word, colour = TREND_WORDS.get(s.direction or "", ("", presentation.GREY))
        trend = f'<span style="color:{colour}">{esc(_(word) if word else "–")}</span>'
        if s.regression:
            trend += "<br>" + esc(_("met before, missed now"))
        rows.append(
            (
                f"<strong>{esc(outcome.title)}</strong><br>"
                f'<span style="color:{presentation.GREY};font-size:0.85em">{esc(metric_title)} · '
                f"<code>{esc(outcome.id)}</code></span>",
                esc(outcome.category.label),
                esc(pretty_target(outcome.target) + unit),
                f"{esc(value)}{where}",
                status_mark(s.status),
                trend,
                esc(outcome.owner or ""),
            )
        )
        lines.append(
            f"{outcome.id}: {value} (target {outcome.target}) {s.status}"
            + (f" ({s.note})" if s.note else "")
        )
    html = markup.table(columns, rows) + markup.note(
        esc(
            _(
                "Value: the one the judged iteration logged, judged against today's target; an "
                "outcome it did not measure is not measured, never credited with another "
                "iteration's value. Trend: the latest measured value against the one before, in "
                "the target's direction."
            )
        )
    )
    if report.iterations_error:
        html = (
            markup.callout(
                esc(_("The iterations could not be read: {error}", error=report.iterations_error)),
                tone="problem",
            )
            + html
        )
    return Section(html, "\n".join(lines))


def trends_section(report: Report) -> Section:
    statuses = report.outcome_statuses
    if not statuses:
        message = _("No outcomes yet, so nothing to chart.")
        return Section(markup.paragraph(f"<em>{esc(message)}</em>"), message)
    parts = []
    lines = []
    waiting = []
    judged = report.judged
    for s in statuses:
        if all(point.value is None for point in s.points):
            waiting.append(s.outcome.title)
            continue
        chart = trend_chart(
            s.outcome.title, s.points, s.outcome.target, REGISTRY.get(s.outcome.metric)
        )
        verdict = (
            _(
                "{value}, {verdict}",
                value=value_text(s.latest),
                verdict=presentation.VERDICTS[s.status].word.lower(),
            )
            if s.latest is not None
            else (s.note or "")
        )
        caption = (
            _("On {iteration}: {verdict}.", iteration=judged, verdict=verdict) if judged else ""
        )
        parts.append(
            f'<figure style="margin:0.6em 0 1.2em 0">{chart.img()}'
            f'<figcaption style="font-size:0.85em">{esc(caption)}</figcaption></figure>'
        )
        lines.append(f"{chart.alt} {caption}".strip())
    if waiting:
        parts.append(
            markup.note(
                esc(
                    _(
                        "Not measured by any iteration yet, so not charted: {outcomes}.",
                        outcomes=", ".join(waiting),
                    )
                )
            )
        )
        lines.append("Not measured yet: " + ", ".join(waiting))
    return Section("".join(parts), "\n".join(lines))


def governance_section(report: Report) -> Section:
    gate = report.gate
    if gate is None:
        message = _(
            "Not run: the governance gate has not checked any data of this project yet "
            "(codesign check DATA, or the governance notebook)."
        )
        return Section(markup.callout(esc(message), tone="warning"), message)
    per_category: dict[str, list[int]] = defaultdict(list)
    for finding in gate.findings:
        per_category[finding.category].append(finding.count)
    rows = [
        (
            esc(_(CATEGORY_LABELS[category]) if category in CATEGORY_LABELS else category),
            f"<code>{esc(category)}</code>",
            esc(str(len(per_category[category]))),
            esc(str(sum(per_category[category]))),
        )
        for category in (*FINDING_CATEGORIES, *sorted(set(per_category) - set(FINDING_CATEGORIES)))
        if category in per_category
    ]
    verdict = "passed" if gate.passed else "failed"
    tone: Literal["info", "problem"] = "info" if gate.passed else "problem"
    stale = gate.charter_sha256 != report.charter.content_sha256()
    zone = report.charter.reports.timezone
    checked = esc(i18n.format_datetime(gate.checked_at, zone))
    rows_text = esc(i18n.format_integer(gate.rows))
    head = (
        _(
            "<strong>✓ The gate passed</strong> on <code>{source}</code> ({rows} rows), checked "
            "{when}.",
            source=esc(gate.source),
            rows=rows_text,
            when=checked,
        )
        if gate.passed
        else _(
            "<strong>✗ The gate failed</strong> on <code>{source}</code> ({rows} rows), checked "
            "{when}.",
            source=esc(gate.source),
            rows=rows_text,
            when=checked,
        )
    )
    if stale:
        head += " " + esc(
            _("The charter has changed since: run the gate again to check the data against it.")
        )
    html = markup.callout(head, tone=tone)
    if rows:
        html += markup.table(
            (
                Column(_("What was found")),
                Column(_("Category")),
                Column(_("Columns"), "right"),
                Column(_("Rows"), "right"),
            ),
            rows,
        )
    else:
        html += markup.paragraph(esc(_("No finding: every check of the data contract passed.")))
    html += markup.note(
        esc(
            _(
                "Counts only: the gate never keeps a value from the data. Rows are counted per "
                "column; a row with problems in two columns counts twice. Details in "
                "governance/data_docs/."
            )
        )
    )
    text = f"governance gate {verdict}: {gate.source}, {gate.rows} rows, " + (
        ", ".join(f"{c} {sum(n)}" for c, n in per_category.items()) or "no finding"
    )
    judged_html, judged_text = _judged_gate(report)
    history_html, history_text = _gate_history(report)
    return Section(judged_html + html + history_html, "\n".join([judged_text, text, history_text]))


def _judged_gate(report: Report) -> tuple[str, str]:
    """The gate status of the data the judged iteration's numbers rest on."""
    judged = report.standing.iteration if report.standing is not None else None
    if judged is None:
        return "", ""
    text = _(
        "The numbers of {iteration} rest on data: {gate}.",
        iteration=judged.name,
        gate=judged.gate_text,
    )
    if judged.governance == "failed":
        return markup.callout(f"<strong>✗</strong> {esc(text)}", tone="problem"), text
    if judged.governance == "not run":
        return markup.callout(esc(text), tone="warning"), text
    return markup.paragraph(f"✓ {esc(text)}"), text


def _gate_mark(*, passed: bool) -> str:
    """``✓ Passed`` / ``✗ Failed``, coloured, with the symbol: colour is never the only signal."""
    return presentation.mark_html(presentation.GATE_VERDICTS["passed" if passed else "failed"])


def _gate_history(report: Report) -> tuple[str, str]:
    """Every gate result kept, newest first: a failed run stays visible after a later pass."""
    if len(report.gate_history) < 2:
        return "", ""
    rows = []
    lines = []
    for record in report.gate_history:
        counts: dict[str, int] = defaultdict(int)
        for finding in record.findings:
            counts[finding.category] += finding.count
        found = ", ".join(f"{category} {count}" for category, count in counts.items())
        when = i18n.format_datetime(record.checked_at, report.charter.reports.timezone)
        rows.append(
            (
                esc(when),
                f"<code>{esc(record.source)}</code>",
                esc(i18n.format_integer(record.rows)),
                _gate_mark(passed=record.passed),
                esc(found or _("no finding")),
            )
        )
        lines.append(f"{when} {record.source}: {record.status} ({found or 'no finding'})")
    html = markup.paragraph(
        _("<strong>History of the gate</strong> (newest first, one line per data checked):")
    ) + markup.table(
        (
            Column(_("Checked")),
            Column(_("Data")),
            Column(_("Rows"), "right"),
            Column(_("Verdict")),
            Column(_("Findings (rows per category)")),
        ),
        rows,
    )
    return html, "gate history: " + "; ".join(lines)


def decision_section(report: Report) -> Section:
    decision = report.charter.decision
    scores = decision.weighted_scores()
    choice = decision.choice
    head = (
        _("Decision: <strong>{choice}</strong>.", choice=esc(choice.label))
        if choice
        else esc(_("No decision made yet."))
    )
    if decision.rationale:
        head += f" {esc(decision.rationale)}"
    rows = []
    for option in DecisionOption:
        score = scores[option]
        chosen = option is choice
        shown = (
            markup.bar(score / 5, colour=BLUE if chosen else SKY_BLUE)
            + esc(_("{score} / 5", score=i18n.format_decimal(score, 1)))
            if score is not None
            else esc(_("not scored"))
        )
        rows.append(
            (
                f"<strong>{esc(option.label)}</strong>" if chosen else esc(option.label),
                shown,
                esc(_("✓ chosen")) if chosen else "",
            )
        )
    html = markup.paragraph(head) + markup.table(
        (
            Column(_("Option")),
            Column(_("Weighted score (1 to 5, higher is better)")),
            Column(""),
        ),
        rows,
    )
    if decision.criteria:
        criteria_rows = [
            (
                esc(c.name),
                value_text(c.weight),
                *(value_text(c.score(option)) or "–" for option in DecisionOption),
            )
            for c in decision.criteria
        ]
        html += markup.table(
            (
                Column(_("Criterion")),
                Column(_("Weight"), "right"),
                *(Column(option.label, "right") for option in DecisionOption),
            ),
            criteria_rows,
        ) + markup.note(esc(_("Each option is scored 1 (worst) to 5 (best) on each criterion.")))
    text = f"decision: {choice.value if choice else 'not made'}; weighted scores: " + ", ".join(
        f"{o.value} {'-' if s is None else f'{s:.1f}'}" for o, s in scores.items()
    )
    return Section(html, text)


def feedback_section(report: Report) -> Section:
    measures = report.feedback_measures()
    if report.feedback_error:
        message = _("The feedback records could not be read: {error}", error=report.feedback_error)
        return Section(markup.callout(esc(message), tone="problem"), message)
    if not report.feedback_records:
        message = _(
            "No feedback recorded yet: the feedback notebook collects SUS and trust "
            "questionnaires, timed tasks and reviews of the tool's outputs."
        )
        return Section(markup.paragraph(f"<em>{esc(message)}</em>"), message)
    rows = []
    lines = []
    for m in measures:
        spec = REGISTRY.get(m.metric)
        unit = f" {spec.display_unit}" if spec is not None and spec.unit else ""
        target = pretty_target(m.outcome.target) + unit if m.outcome else _("no outcome set")
        rows.append(
            (
                esc(m.label),
                esc(value_text(m.value)) if m.value is not None else "–",
                esc(i18n.format_integer(m.responses)),
                esc(target),
                status_mark(status_of(m.met)) if m.outcome else "",
            )
        )
        lines.append(f"{m.metric}: {value_text(m.value)} from {m.responses} response(s)")
    about = report.judged_feedback()
    roles = sorted({r.respondent_role for r in about})
    judged = report.judged
    total = len(report.feedback_records)
    if judged:
        others = sorted({r.iteration for r in report.feedback_records if r.iteration} - {judged})
        words = {"about": len(about), "n": total, "iteration": judged}
        scope = (
            _(
                "{about} of the {n} feedback record(s) are about {iteration}; the others are "
                "about {iterations} and count only for the iteration they name.",
                iterations=", ".join(others),
                **words,
            )
            if others
            else _("{about} of the {n} feedback record(s) are about {iteration}.", **words)
        )
    else:
        scope = _("Over all {n} feedback record(s).", n=total)
    if roles:
        scope += " " + _("From: {roles}.", roles=", ".join(roles))
    html = markup.table(
        (
            Column(_("Measure")),
            Column(_("Result"), "right"),
            Column(_("Responses"), "right"),
            Column(_("Target"), "right"),
            Column(_("Verdict")),
        ),
        rows,
    ) + markup.note(esc(scope) + " " + esc(_("Respondents are recorded by role, never by name.")))
    return Section(html, "\n".join(lines))


@dataclass(frozen=True)
class OpenSignoff:
    """A person whose approval of the current charter is missing or outdated."""

    name: str
    role: str
    reason: str


def open_signoffs_of(charter: Charter) -> list[OpenSignoff]:
    """Approvals still needed for the charter as it is now.

    Outdated: someone signed an earlier version and has not signed this one. Missing: the
    clinical lead, or an outcome's owner, has not signed this version at all.
    """
    valid = {s.name.casefold() for s in charter.valid_signoffs()}
    found: dict[str, OpenSignoff] = {}
    for s in sorted(charter.outdated_signoffs(), key=lambda s: s.signed_at, reverse=True):
        key = s.name.casefold()
        if key not in valid and key not in found:
            found[key] = OpenSignoff(
                s.name,
                s.role,
                _("signed an earlier version on {day}", day=i18n.format_date(s.signed_at.date())),
            )
    expected: list[tuple[str, str]] = []
    if charter.clinical_lead is not None:
        expected.append((charter.clinical_lead.name, charter.clinical_lead.role))
    roles = {s.name.casefold(): s.role for s in charter.stakeholders}
    expected.extend(
        (o.owner, roles.get(o.owner.casefold(), _("outcome owner")))
        for o in charter.outcomes
        if o.owner
    )
    for name, role in expected:
        key = name.casefold()
        if key not in valid and key not in found:
            found[key] = OpenSignoff(name, role, _("has not signed this version"))
    return list(found.values())


def signoffs_section(report: Report) -> Section:
    charter = report.charter
    valid = charter.valid_signoffs()
    pending = open_signoffs_of(charter)
    parts = []
    if valid:
        signed = "; ".join(
            _(
                "{name} ({role}, {day})",
                name=s.name,
                role=s.role,
                day=i18n.format_date(s.signed_at.date()),
            )
            for s in valid
        )
        parts.append(markup.paragraph(esc(_("Signed this version: {signed}.", signed=signed))))
    if pending:
        parts.append(
            markup.table(
                (Column(_("Still to sign")), Column(_("Role")), Column(_("Why"))),
                [(esc(p.name), esc(p.role), esc(p.reason)) for p in pending],
            )
        )
    elif valid:
        parts.append(
            markup.paragraph(esc(_("Nothing open: the charter is approved as it stands.")))
        )
    else:
        nobody = _("Nobody has signed the charter yet.")
        parts.append(markup.paragraph(f"<em>{esc(nobody)}</em>"))
    text = f"{len(valid)} valid sign-off(s); open: " + (
        ", ".join(f"{p.name} ({p.reason})" for p in pending) or "none"
    )
    if report.promotions:
        parts.append(
            markup.paragraph(_("<strong>Go decisions</strong> (codesign promote):"))
            + markup.table(
                (
                    Column(_("Iteration")),
                    Column(_("Decided")),
                    Column(_("By")),
                    Column(_("Charter")),
                    Column(_("Standing then")),
                    Column(_("Model version")),
                ),
                [
                    (
                        esc(p.iteration),
                        esc(i18n.format_datetime(p.decided_at, charter.reports.timezone)),
                        esc(p.decided_by),
                        f"<code>{esc(p.charter_sha256[:12])}</code>",
                        esc(str(p.standing.get("headline", ""))),
                        esc(
                            _(
                                "{model} v{version} (approved)",
                                model=p.model_name,
                                version=p.model_version,
                            )
                        )
                        if p.model_version
                        else esc(_("not registered")),
                    )
                    for p in report.promotions
                ],
            )
        )
        text += "; go decisions: " + "; ".join(p.summary() for p in report.promotions)
    return Section("".join(parts), text)
