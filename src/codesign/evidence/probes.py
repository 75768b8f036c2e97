"""Probes: each looks for one kind of evidence in the store and says what it found and lacks.

A probe returns a :class:`Finding`: lines of content (what a reader of the document sees), the
sources they come from (a charter field, the gate run, an iteration, a report run, a sign-off)
and what is missing, worded concretely ("no subgroup metric by age"), so the team knows exactly
what to add. Framework items (Annex IV sections, TRIPOD+AI and DECIDE-AI items) are built from
probes in :mod:`codesign.evidence.catalogue`; several items share a probe.

Findings are written in the reader's language (:mod:`codesign.i18n`), when the probe runs:
sentences are catalogue messages, dates are written the language's way; what was typed in the
charter (titles, names, purposes) and the charter's field names stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.charter.model import Category, ColumnType
from codesign.i18n import N_, _, format_date
from codesign.presentation import GATE_VERDICTS, format_target, number
from codesign.timeutil import as_utc

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Iterable

    from codesign.evidence.facts import Facts, KeyMetric

GROUP_COLUMN_NAMES: Final = frozenset(
    {"age", "age_group", "age_band", "sex", "gender", "ethnicity", "race", "language", "site"}
)
"""Columns a fairness review expects a subgroup comparison by, when the contract declares them."""


@dataclass(frozen=True)
class Finding:
    """What a probe found: content lines, their sources, and what is missing."""

    content: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    def __add__(self, other: Finding) -> Finding:
        return Finding(
            self.content + other.content,
            _unique(self.sources + other.sources),
            self.missing + other.missing,
        )


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _when(moment: dt.datetime) -> str:
    """A moment for people: to the minute, in UTC (the day written the language's way)."""
    utc = as_utc(moment)
    return _("{date} {time} UTC", date=format_date(utc), time=f"{utc:%H:%M}")


def _field(name: str) -> str:
    return _("charter: {field}", field=name)


def _run(record_name: str, run_id: str) -> str:
    return _("iteration: {name} (run {run})", name=record_name, run=run_id[:8])


def outside(what: str) -> Callable[[Facts], Finding]:
    """A probe for evidence codesign does not hold: always missing, saying what to provide."""

    def probe(_facts: Facts) -> Finding:
        return Finding(
            missing=(_("{what} (not held in the project's store: attach it)", what=_(what)),)
        )

    return probe


# --- intended use -----------------------------------------------------------------------------


def purpose(f: Facts) -> Finding:
    use = f.charter.use_case
    intended = f.charter.intended_use
    if intended is not None and intended.purpose:
        return Finding(
            (_("Purpose: {purpose}", purpose=intended.purpose),), (_field("intended_use.purpose"),)
        )
    if use.problem:
        return Finding(
            (_("Problem addressed: {problem}", problem=use.problem),),
            (_field("use_case.problem"),),
            (_("no intended purpose stated (intended_use.purpose)"),),
        )
    return Finding(missing=(_("no intended purpose stated (intended_use.purpose)"),))


def identity(f: Facts) -> Finding:
    use = f.charter.use_case
    lines = [
        _("Use case: {title}", title=use.title),
        _("Stage: {stage}", stage=use.stage.label),
    ]
    sources = [_field("use_case.title"), _field("use_case.stage")]
    if use.site:
        lines.append(_("Site: {site}", site=use.site))
        sources.append(_field("use_case.site"))
    if use.partner:
        lines.append(_("Partner: {partner}", partner=use.partner))
        sources.append(_field("use_case.partner"))
    return Finding(tuple(lines), tuple(sources))


def users(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is not None and intended.intended_users:
        names, source = intended.intended_users, "intended_use.intended_users"
    else:
        names, source = f.charter.use_case.intended_users, "use_case.intended_users"
    if not names:
        return Finding(missing=(_("no intended users named (intended_use.intended_users)"),))
    return Finding((_("Intended users: {users}", users=", ".join(names)),), (_field(source),))


def setting(f: Facts) -> Finding:
    intended = f.charter.intended_use
    value = (intended.setting if intended else None) or f.charter.use_case.setting
    population = f.charter.use_case.population
    lines, sources, missing = [], [], []
    if value:
        lines.append(_("Setting: {setting}", setting=value))
        sources.append(
            _field("intended_use.setting" if intended and intended.setting else "use_case.setting")
        )
    else:
        missing.append(_("no care setting stated (intended_use.setting)"))
    if population:
        lines.append(_("Population: {population}", population=population))
        sources.append(_field("use_case.population"))
    else:
        missing.append(_("no target population stated (use_case.population)"))
    return Finding(tuple(lines), tuple(sources), tuple(missing))


def out_of_scope(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is None or not intended.out_of_scope:
        return Finding(
            missing=(_("no out-of-scope uses or contraindications (intended_use.out_of_scope)"),)
        )
    lines = tuple(_("Not for: {use}", use=item) for item in intended.out_of_scope)
    return Finding(lines, (_field("intended_use.out_of_scope"),))


def oversight(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is None or not intended.human_oversight:
        return Finding(missing=(_("no human oversight described (intended_use.human_oversight)"),))
    return Finding(
        (_("Human oversight: {oversight}", oversight=intended.human_oversight),),
        (_field("intended_use.human_oversight"),),
    )


def limitations(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is None or not intended.known_limitations:
        return Finding(missing=(_("no known limitations stated (intended_use.known_limitations)"),))
    lines = tuple(
        _("Limitation: {limitation}", limitation=item) for item in intended.known_limitations
    )
    return Finding(lines, (_field("intended_use.known_limitations"),))


# --- people and decisions ---------------------------------------------------------------------


def stakeholders(f: Facts) -> Finding:
    people = f.charter.stakeholders
    if not people:
        return Finding(missing=(_("no stakeholders listed (stakeholders)"),))
    internal = sum(1 for p in people if p.side.value == "internal")
    lines = [
        _(
            "{count} stakeholder(s), {internal} on the hospital side",
            count=len(people),
            internal=internal,
        )
    ]
    lines += [
        _("{role}: {name} ({side})", role=p.role, name=p.name, side=p.side.value) for p in people
    ]
    missing = (
        () if internal else (_("no hospital-side stakeholder (stakeholders[].side: internal)"),)
    )
    return Finding(tuple(lines), (_field("stakeholders"),), missing)


def decision(f: Facts) -> Finding:
    choice = f.charter.decision.choice
    if choice is None:
        return Finding(missing=(_("no build / buy / partner decision recorded (decision.choice)"),))
    lines = [_("Decision: {choice}", choice=choice.label)]
    if f.charter.decision.rationale:
        lines.append(_("Rationale: {rationale}", rationale=f.charter.decision.rationale))
    return Finding(tuple(lines), (_field("decision"),))


def signoffs(f: Facts) -> Finding:
    valid = [s for s in f.charter.signoffs if s.charter_sha256 == f.charter_sha256]
    outdated = [s for s in f.charter.signoffs if s.charter_sha256 != f.charter_sha256]
    lines = tuple(
        _(
            "Signed off by {name} ({role}) on {when}",
            name=s.name,
            role=s.role,
            when=_when(s.signed_at),
        )
        for s in valid
    )
    sources = tuple(_("sign-off: {name}, {role}", name=s.name, role=s.role) for s in valid)
    missing: tuple[str, ...] = ()
    if not valid:
        missing = (
            _("no sign-off of the current charter ({count} outdated)", count=len(outdated))
            if outdated
            else _("no sign-off of the charter (signoffs)"),
        )
    return Finding(lines, sources, missing)


# --- data and development -----------------------------------------------------------------------


def data_contract(f: Facts) -> Finding:
    contract = f.charter.data_contract
    if not contract.columns:
        return Finding(missing=(_("no data contract columns declared (data_contract.columns)"),))
    required = sum(1 for c in contract.columns if c.required)
    lines = (
        _(
            "Data contract: {count} column(s), {required} required, PHI policy {policy}, "
            "completeness >= {completeness}",
            count=len(contract.columns),
            required=required,
            policy=contract.phi_policy.value,
            completeness=number(contract.min_completeness),
        ),
        _(
            "Columns: {columns}",
            columns=", ".join(f"{c.name} ({c.type.value})" for c in contract.columns),
        ),
    )
    return Finding(lines, (_field("data_contract"),))


def gate(f: Facts) -> Finding:
    record = f.gate
    if record is None:
        return Finding(
            missing=(_("the governance gate has never run on the data (codesign check)"),)
        )
    source = _("gate run: {source}, {when}", source=record.source, when=_when(record.checked_at))
    lines = [
        _(
            "Governance gate {status} on {source}: {rows} rows, {findings} finding(s), "
            "checked {when}",
            status=GATE_VERDICTS[record.status].word.lower(),
            source=record.source,
            rows=record.rows,
            findings=len(record.findings),
            when=_when(record.checked_at),
        )
    ]
    categories = sorted({finding.category for finding in record.findings})
    if categories:
        lines.append(_("Finding categories: {categories}", categories=", ".join(categories)))
    missing = (
        ()
        if record.passed
        else (_("the latest gate run failed ({count} finding(s))", count=len(record.findings)),)
    )
    return Finding(tuple(lines), (source,), missing)


def iterations(f: Facts) -> Finding:
    if not f.iterations:
        return Finding(missing=(_("no model iteration logged (codesign track)"),))
    current = f.charter_sha256
    lines = [_("{count} iteration(s) logged", count=len(f.iterations))]
    lines += [
        (
            _(
                "{name}: {when}, governance {governance}, charter current",
                name=r.name,
                when=_when(r.started_at),
                governance=_gate_word(r.governance),
            )
            if r.charter_sha256 == current
            else _(
                "{name}: {when}, governance {governance}, charter earlier version",
                name=r.name,
                when=_when(r.started_at),
                governance=_gate_word(r.governance),
            )
        )
        for r in f.iterations
    ]
    sources = tuple(_run(r.name, r.run_id) for r in f.iterations)
    return Finding(tuple(lines), sources)


def candidate(f: Facts) -> Finding:
    record = f.candidate
    if record is None:
        return Finding(missing=(_("no candidate iteration to describe (codesign track)"),))
    lines = (
        _(
            "Candidate iteration: {name}, logged {when} by {author}",
            name=record.name,
            when=_when(record.started_at),
            author=record.author,
        )
        if record.author
        else _(
            "Candidate iteration: {name}, logged {when}",
            name=record.name,
            when=_when(record.started_at),
        ),
    )
    return Finding(lines, (_run(record.name, record.run_id),))


# --- outcomes and metrics -----------------------------------------------------------------------


def _metric_line(m: KeyMetric) -> str:
    value = _("not measured") if m.value is None else number(m.value)
    verdict = {True: _("met"), False: _("not met"), None: _("not measured")}[m.met]
    options = f" [{m.params}]" if m.params else ""
    return _(
        "{outcome} ({category}, {metric}{options}): {value} against {target}, {verdict}",
        outcome=m.outcome,
        category=m.category.label,
        metric=m.metric,
        options=options,
        value=value,
        target=format_target(m.target),
        verdict=verdict,
    )


def outcomes(f: Facts) -> Finding:
    charter = f.charter
    if not charter.outcomes:
        return Finding(missing=(_("no outcome with a target defined (outcomes)"),))
    lines = tuple(
        f"{o.id}: {o.title} — {o.metric} {format_target(o.target)}" for o in charter.outcomes
    )
    missing = tuple(
        _(
            "outcome {outcome} has no rationale for its target (outcomes[{index}].rationale)",
            outcome=o.id,
            index=i,
        )
        for i, o in enumerate(charter.outcomes)
        if not o.rationale
    )
    if Category.SAFETY not in {o.category for o in charter.outcomes}:
        missing += (_("no safety outcome"),)
    return Finding(lines, (_field("outcomes"),), missing)


def performance(f: Facts) -> Finding:
    if f.candidate is None:
        return Finding(
            missing=(_("no measured performance: no iteration logged (codesign track)"),)
        )
    lines = tuple(_metric_line(m) for m in f.metrics)
    unmeasured = tuple(_unmeasured(m, f.candidate.name) for m in f.metrics if m.value is None)
    return Finding(lines, (_run(f.candidate.name, f.candidate.run_id),), unmeasured)


def _unmeasured(m: KeyMetric, iteration: str) -> str:
    return _(
        "outcome {outcome} not measured on {iteration}", outcome=m.outcome, iteration=iteration
    )


def _gate_word(status: str | None) -> str:
    """A gate status as a word of the language (``unknown`` when none was recorded)."""
    mark = GATE_VERDICTS.get(status) if status else None  # type: ignore[call-overload]
    return mark.word.lower() if mark is not None else _("unknown")


def _by_category(f: Facts, categories: set[Category], what: str) -> Finding:
    """The outcomes of some categories; ``what`` names them (a catalogue message)."""
    rows = [m for m in f.metrics if m.category in categories]
    if not rows:
        return Finding(missing=(_("no {what} outcome in the charter", what=_(what)),))
    if f.candidate is None:
        return Finding(
            tuple(
                _("{outcome}: target {target}", outcome=m.outcome, target=format_target(m.target))
                for m in rows
            ),
            (_field("outcomes"),),
            (_("{what} outcomes not measured: no iteration logged", what=_(what)),),
        )
    measured = [m for m in rows if m.value is not None]
    missing = tuple(_unmeasured(m, f.candidate.name) for m in rows if m.value is None)
    return Finding(
        tuple(_metric_line(m) for m in rows),
        (_field("outcomes"), *((_run(f.candidate.name, f.candidate.run_id),) if measured else ())),
        missing,
    )


def fairness(f: Facts) -> Finding:
    found = _by_category(f, {Category.EQUITY}, N_("equity"))
    covered = {
        str(o.params.get("by"))
        for o in f.charter.outcomes
        if o.metric == "subgroup_gap" and o.params.get("by")
    }
    expected = [
        c.name
        for c in f.charter.data_contract.columns
        if c.name.casefold() in GROUP_COLUMN_NAMES
        or (c.type is ColumnType.CATEGORY and c.allowed and c.phi_mode.value == "allowed")
    ]
    gaps = tuple(
        _("no subgroup metric by {column}", column=name) for name in expected if name not in covered
    )
    if not covered and not expected:
        gaps = (_("no subgroup metric (subgroup_gap) and no subgroup column in the data contract"),)
    return found + Finding(missing=gaps)


def safety(f: Facts) -> Finding:
    return _by_category(f, {Category.SAFETY}, N_("safety"))


def usefulness(f: Facts) -> Finding:
    return _by_category(
        f,
        {Category.ACCURACY, Category.TIME_SAVED, Category.ADOPTION},
        N_("accuracy, time saved or adoption"),
    )


def human_factors(f: Facts) -> Finding:
    found = _by_category(f, {Category.USABILITY, Category.TRUST}, N_("usability or trust"))
    if f.feedback_records:
        return found + Finding(
            (
                _(
                    "{count} feedback record(s) from clinicians (SUS, trust, time-motion)",
                    count=f.feedback_records,
                ),
            ),
            (_("feedback: {file}", file="feedback/records.csv"),),
        )
    return found + Finding(missing=(_("no clinician feedback recorded (feedback/records.csv)"),))


# --- risk -----------------------------------------------------------------------------------------


def risks(f: Facts) -> Finding:
    log = f.charter.risks
    if not log:
        return Finding(missing=(_("no hazard log (risks)"),))
    lines: list[str] = []
    missing: list[str] = []
    for h in log:
        residual = (
            _(
                "residual {severity}×{likelihood} = {score} ({band})",
                severity=h.residual_severity,
                likelihood=h.residual_likelihood,
                score=h.residual_score,
                band=_(h.residual_band or ""),
            )
            if h.residual_score is not None
            else _("residual not assessed")
        )
        hazard = {
            "id": h.id,
            "hazard": h.hazard,
            "severity": h.severity,
            "likelihood": h.likelihood,
            "score": h.score,
            "band": _(h.band),
            "controls": len(h.controls),
            "residual": residual,
        }
        lines.append(
            _(
                "{id}: {hazard} — severity {severity} × likelihood {likelihood} = {score} "
                "({band}); {controls} control(s); {residual}; monitored by {outcomes}",
                outcomes=", ".join(h.monitoring),
                **hazard,
            )
            if h.monitoring
            else _(
                "{id}: {hazard} — severity {severity} × likelihood {likelihood} = {score} "
                "({band}); {controls} control(s); {residual}",
                **hazard,
            )
        )
        if not h.controls:
            missing.append(_("hazard {id} has no control", id=h.id))
        elif any(c.owner is None for c in h.controls):
            missing.append(_("hazard {id} has a control without an owner", id=h.id))
        if h.residual_score is None:
            missing.append(_("hazard {id}: residual risk not assessed", id=h.id))
        elif h.residual_band == "unacceptable":
            missing.append(_("hazard {id}: residual risk still unacceptable", id=h.id))
        if not h.monitoring:
            missing.append(_("hazard {id} is not monitored by any outcome", id=h.id))
    return Finding(tuple(lines), (_field("risks"),), tuple(missing))


def errors_monitored(f: Facts) -> Finding:
    """Hazards tied to outcomes, and how those outcomes stand on the candidate."""
    monitored = {o for h in f.charter.risks for o in h.monitoring}
    if not monitored:
        return Finding(missing=(_("no hazard is monitored by an outcome (risks[].monitoring)"),))
    rows = [m for m in f.metrics if m.outcome in monitored]
    return Finding(
        tuple(_metric_line(m) for m in rows),
        (_field("risks[].monitoring"),),
        ()
        if f.candidate is not None
        else (_("monitoring outcomes not measured: no iteration logged"),),
    )


# --- after deployment ---------------------------------------------------------------------------


def monitoring_plan(f: Facts) -> Finding:
    schedule = f.charter.reports.schedule
    lines: list[str] = []
    sources: list[str] = []
    missing: list[str] = []
    if schedule:
        lines.append(
            _(
                "Reports run on schedule {schedule} ({timezone})",
                schedule=schedule,
                timezone=f.charter.reports.timezone,
            )
        )
        sources.append(_field("reports.schedule"))
    else:
        missing.append(_("no post-market monitoring schedule (reports.schedule)"))
    state = f.reports
    if state.last_success is not None:
        lines.append(
            _(
                "Last report: {report}, {when}",
                report=state.last_report or _("unnamed"),
                when=_when(state.last_success),
            )
        )
        sources.append(
            _("report run: {report}", report=state.last_report or _when(state.last_success))
        )
    else:
        missing.append(_("no report has run yet (codesign report run)"))
    if f.charter.outcomes:
        lines.append(
            _("{count} outcome(s) measured on every iteration", count=len(f.charter.outcomes))
        )
    return Finding(tuple(lines), tuple(sources), tuple(missing))


def lifecycle(f: Facts) -> Finding:
    return iterations(f) + signoffs(f)


def standards(f: Facts) -> Finding:
    lines = [
        _("EU AI Act Annex IV technical documentation (this document)"),
        _("TRIPOD+AI and DECIDE-AI reporting checklists (tripod-ai.html, decide-ai.html)"),
        _("CHAI Applied Model Card v0.2 (model-card.xml)"),
    ]
    if f.charter.risks:
        lines.append(_("Hazard log in the vocabulary of ISO 14971 and DCB0129"))
    return Finding(
        tuple(lines),
        ("codesign evidence",),
        (
            _(
                "no harmonised standard declared by the provider "
                "(not held in the project's store: attach it)"
            ),
        ),
    )


def combine(*probes: Callable[[Facts], Finding]) -> Callable[[Facts], Finding]:
    """One probe made of several, their findings added in order."""

    def probe(f: Facts) -> Finding:
        result = Finding()
        for each in probes:
            result = result + each(f)
        return result

    return probe
