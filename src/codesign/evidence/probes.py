"""Probes: each looks for one kind of evidence in the store and says what it found and lacks.

A probe returns a :class:`Finding`: lines of content (what a reader of the document sees), the
sources they come from (a charter field, the gate run, an iteration, a report run, a sign-off)
and what is missing, worded concretely ("no subgroup metric by age"), so the team knows exactly
what to add. Framework items (Annex IV sections, TRIPOD+AI and DECIDE-AI items) are built from
probes in :mod:`codesign.evidence.catalogue`; several items share a probe.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.charter.model import Category, ColumnType
from codesign.presentation import number
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
    """A moment for people: to the minute, in UTC."""
    return f"{as_utc(moment):%Y-%m-%d %H:%M} UTC"


def _field(name: str) -> str:
    return f"charter: {name}"


def _run(record_name: str, run_id: str) -> str:
    return f"iteration: {record_name} (run {run_id[:8]})"


def outside(what: str) -> Callable[[Facts], Finding]:
    """A probe for evidence codesign does not hold: always missing, saying what to provide."""

    def probe(_facts: Facts) -> Finding:
        return Finding(missing=(f"{what} (not held in the project's store: attach it)",))

    return probe


# --- intended use -----------------------------------------------------------------------------


def purpose(f: Facts) -> Finding:
    use = f.charter.use_case
    intended = f.charter.intended_use
    if intended is not None and intended.purpose:
        return Finding((f"Purpose: {intended.purpose}",), (_field("intended_use.purpose"),))
    if use.problem:
        return Finding(
            (f"Problem addressed: {use.problem}",),
            (_field("use_case.problem"),),
            ("no intended purpose stated (intended_use.purpose)",),
        )
    return Finding(missing=("no intended purpose stated (intended_use.purpose)",))


def identity(f: Facts) -> Finding:
    use = f.charter.use_case
    lines = [f"Use case: {use.title}", f"Stage: {use.stage.value}"]
    sources = [_field("use_case.title"), _field("use_case.stage")]
    for label, value, name in (("Site", use.site, "site"), ("Partner", use.partner, "partner")):
        if value:
            lines.append(f"{label}: {value}")
            sources.append(_field(f"use_case.{name}"))
    return Finding(tuple(lines), tuple(sources))


def users(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is not None and intended.intended_users:
        names, source = intended.intended_users, "intended_use.intended_users"
    else:
        names, source = f.charter.use_case.intended_users, "use_case.intended_users"
    if not names:
        return Finding(missing=("no intended users named (intended_use.intended_users)",))
    return Finding((f"Intended users: {', '.join(names)}",), (_field(source),))


def setting(f: Facts) -> Finding:
    intended = f.charter.intended_use
    value = (intended.setting if intended else None) or f.charter.use_case.setting
    population = f.charter.use_case.population
    lines, sources, missing = [], [], []
    if value:
        lines.append(f"Setting: {value}")
        sources.append(
            _field("intended_use.setting" if intended and intended.setting else "use_case.setting")
        )
    else:
        missing.append("no care setting stated (intended_use.setting)")
    if population:
        lines.append(f"Population: {population}")
        sources.append(_field("use_case.population"))
    else:
        missing.append("no target population stated (use_case.population)")
    return Finding(tuple(lines), tuple(sources), tuple(missing))


def out_of_scope(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is None or not intended.out_of_scope:
        return Finding(
            missing=("no out-of-scope uses or contraindications (intended_use.out_of_scope)",)
        )
    lines = tuple(f"Not for: {item}" for item in intended.out_of_scope)
    return Finding(lines, (_field("intended_use.out_of_scope"),))


def oversight(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is None or not intended.human_oversight:
        return Finding(missing=("no human oversight described (intended_use.human_oversight)",))
    return Finding(
        (f"Human oversight: {intended.human_oversight}",), (_field("intended_use.human_oversight"),)
    )


def limitations(f: Facts) -> Finding:
    intended = f.charter.intended_use
    if intended is None or not intended.known_limitations:
        return Finding(missing=("no known limitations stated (intended_use.known_limitations)",))
    lines = tuple(f"Limitation: {item}" for item in intended.known_limitations)
    return Finding(lines, (_field("intended_use.known_limitations"),))


# --- people and decisions ---------------------------------------------------------------------


def stakeholders(f: Facts) -> Finding:
    people = f.charter.stakeholders
    if not people:
        return Finding(missing=("no stakeholders listed (stakeholders)",))
    internal = sum(1 for p in people if p.side.value == "internal")
    lines = [f"{len(people)} stakeholder(s), {internal} on the hospital side"]
    lines += [f"{p.role}: {p.name} ({p.side.value})" for p in people]
    missing = () if internal else ("no hospital-side stakeholder (stakeholders[].side: internal)",)
    return Finding(tuple(lines), (_field("stakeholders"),), missing)


def decision(f: Facts) -> Finding:
    choice = f.charter.decision.choice
    if choice is None:
        return Finding(missing=("no build / buy / partner decision recorded (decision.choice)",))
    lines = [f"Decision: {choice.value}"]
    if f.charter.decision.rationale:
        lines.append(f"Rationale: {f.charter.decision.rationale}")
    return Finding(tuple(lines), (_field("decision"),))


def signoffs(f: Facts) -> Finding:
    valid = [s for s in f.charter.signoffs if s.charter_sha256 == f.charter_sha256]
    outdated = [s for s in f.charter.signoffs if s.charter_sha256 != f.charter_sha256]
    lines = tuple(f"Signed off by {s.name} ({s.role}) on {_when(s.signed_at)}" for s in valid)
    sources = tuple(f"sign-off: {s.name}, {s.role}" for s in valid)
    missing: tuple[str, ...] = ()
    if not valid:
        missing = (
            f"no sign-off of the current charter ({len(outdated)} outdated)"
            if outdated
            else "no sign-off of the charter (signoffs)",
        )
    return Finding(lines, sources, missing)


# --- data and development -----------------------------------------------------------------------


def data_contract(f: Facts) -> Finding:
    contract = f.charter.data_contract
    if not contract.columns:
        return Finding(missing=("no data contract columns declared (data_contract.columns)",))
    required = sum(1 for c in contract.columns if c.required)
    lines = (
        f"Data contract: {len(contract.columns)} column(s), {required} required, "
        f"PHI policy {contract.phi_policy.value}, completeness >= {contract.min_completeness}",
        "Columns: " + ", ".join(f"{c.name} ({c.type.value})" for c in contract.columns),
    )
    return Finding(lines, (_field("data_contract"),))


def gate(f: Facts) -> Finding:
    record = f.gate
    if record is None:
        return Finding(missing=("the governance gate has never run on the data (codesign check)",))
    source = f"gate run: {record.source}, {_when(record.checked_at)}"
    lines = [
        f"Governance gate {record.status} on {record.source}: {record.rows} rows, "
        f"{len(record.findings)} finding(s), checked {_when(record.checked_at)}"
    ]
    categories = sorted({finding.category for finding in record.findings})
    if categories:
        lines.append("Finding categories: " + ", ".join(categories))
    missing = (
        ()
        if record.passed
        else (f"the latest gate run failed ({len(record.findings)} finding(s))",)
    )
    return Finding(tuple(lines), (source,), missing)


def iterations(f: Facts) -> Finding:
    if not f.iterations:
        return Finding(missing=("no model iteration logged (codesign track)",))
    current = f.charter_sha256
    lines = [f"{len(f.iterations)} iteration(s) logged"]
    lines += [
        f"{r.name}: {_when(r.started_at)}, governance {r.governance or 'unknown'}, "
        f"charter {'current' if r.charter_sha256 == current else 'earlier version'}"
        for r in f.iterations
    ]
    sources = tuple(_run(r.name, r.run_id) for r in f.iterations)
    return Finding(tuple(lines), sources)


def candidate(f: Facts) -> Finding:
    record = f.candidate
    if record is None:
        return Finding(missing=("no candidate iteration to describe (codesign track)",))
    lines = (
        f"Candidate iteration: {record.name}, logged {_when(record.started_at)}"
        + (f" by {record.author}" if record.author else ""),
    )
    return Finding(lines, (_run(record.name, record.run_id),))


# --- outcomes and metrics -----------------------------------------------------------------------


def _metric_line(m: KeyMetric) -> str:
    value = "not measured" if m.value is None else number(m.value)
    verdict = {True: "met", False: "not met", None: "not measured"}[m.met]
    options = f" [{m.params}]" if m.params else ""
    return (
        f"{m.outcome} ({m.category.value}, {m.metric}{options}): {value} against {m.target}, "
        f"{verdict}"
    )


def outcomes(f: Facts) -> Finding:
    charter = f.charter
    if not charter.outcomes:
        return Finding(missing=("no outcome with a target defined (outcomes)",))
    lines = tuple(f"{o.id}: {o.title} — {o.metric} {o.target}" for o in charter.outcomes)
    missing = tuple(
        f"outcome {o.id} has no rationale for its target (outcomes[{i}].rationale)"
        for i, o in enumerate(charter.outcomes)
        if not o.rationale
    )
    present = {o.category for o in charter.outcomes}
    missing += tuple(
        f"no {category.value.replace('_', ' ')} outcome"
        for category in (Category.SAFETY,)
        if category not in present
    )
    return Finding(lines, (_field("outcomes"),), missing)


def performance(f: Facts) -> Finding:
    if f.candidate is None:
        return Finding(missing=("no measured performance: no iteration logged (codesign track)",))
    lines = tuple(_metric_line(m) for m in f.metrics)
    unmeasured = tuple(
        f"outcome {m.outcome} not measured on {f.candidate.name}"
        for m in f.metrics
        if m.value is None
    )
    return Finding(lines, (_run(f.candidate.name, f.candidate.run_id),), unmeasured)


def _by_category(f: Facts, categories: set[Category], what: str) -> Finding:
    rows = [m for m in f.metrics if m.category in categories]
    if not rows:
        return Finding(missing=(f"no {what} outcome in the charter",))
    if f.candidate is None:
        return Finding(
            tuple(f"{m.outcome}: target {m.target}" for m in rows),
            (_field("outcomes"),),
            (f"{what} outcomes not measured: no iteration logged",),
        )
    measured = [m for m in rows if m.value is not None]
    missing = tuple(
        f"outcome {m.outcome} not measured on {f.candidate.name}" for m in rows if m.value is None
    )
    return Finding(
        tuple(_metric_line(m) for m in rows),
        (_field("outcomes"), *((_run(f.candidate.name, f.candidate.run_id),) if measured else ())),
        missing,
    )


def fairness(f: Facts) -> Finding:
    found = _by_category(f, {Category.EQUITY}, "equity")
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
    gaps = tuple(f"no subgroup metric by {name}" for name in expected if name not in covered)
    if not covered and not expected:
        gaps = ("no subgroup metric (subgroup_gap) and no subgroup column in the data contract",)
    return found + Finding(missing=gaps)


def safety(f: Facts) -> Finding:
    return _by_category(f, {Category.SAFETY}, "safety")


def usefulness(f: Facts) -> Finding:
    return _by_category(
        f,
        {Category.ACCURACY, Category.TIME_SAVED, Category.ADOPTION},
        "accuracy, time saved or adoption",
    )


def human_factors(f: Facts) -> Finding:
    found = _by_category(f, {Category.USABILITY, Category.TRUST}, "usability or trust")
    if f.feedback_records:
        return found + Finding(
            (f"{f.feedback_records} feedback record(s) from clinicians (SUS, trust, time-motion)",),
            ("feedback: feedback/records.csv",),
        )
    return found + Finding(missing=("no clinician feedback recorded (feedback/records.csv)",))


# --- risk -----------------------------------------------------------------------------------------


def risks(f: Facts) -> Finding:
    log = f.charter.risks
    if not log:
        return Finding(missing=("no hazard log (risks)",))
    lines: list[str] = []
    missing: list[str] = []
    for h in log:
        residual = (
            f"residual {h.residual_severity}×{h.residual_likelihood} = {h.residual_score} "
            f"({h.residual_band})"
            if h.residual_score is not None
            else "residual not assessed"
        )
        lines.append(
            f"{h.id}: {h.hazard} — severity {h.severity} × likelihood {h.likelihood} = "
            f"{h.score} ({h.band}); {len(h.controls)} control(s); {residual}"
            + (f"; monitored by {', '.join(h.monitoring)}" if h.monitoring else "")
        )
        if not h.controls:
            missing.append(f"hazard {h.id} has no control")
        elif any(c.owner is None for c in h.controls):
            missing.append(f"hazard {h.id} has a control without an owner")
        if h.residual_score is None:
            missing.append(f"hazard {h.id}: residual risk not assessed")
        elif h.residual_band == "unacceptable":
            missing.append(f"hazard {h.id}: residual risk still unacceptable")
        if not h.monitoring:
            missing.append(f"hazard {h.id} is not monitored by any outcome")
    return Finding(tuple(lines), (_field("risks"),), tuple(missing))


def errors_monitored(f: Facts) -> Finding:
    """Hazards tied to outcomes, and how those outcomes stand on the candidate."""
    monitored = {o for h in f.charter.risks for o in h.monitoring}
    if not monitored:
        return Finding(missing=("no hazard is monitored by an outcome (risks[].monitoring)",))
    rows = [m for m in f.metrics if m.outcome in monitored]
    return Finding(
        tuple(_metric_line(m) for m in rows),
        (_field("risks[].monitoring"),),
        ()
        if f.candidate is not None
        else ("monitoring outcomes not measured: no iteration logged",),
    )


# --- after deployment ---------------------------------------------------------------------------


def monitoring_plan(f: Facts) -> Finding:
    schedule = f.charter.reports.schedule
    lines: list[str] = []
    sources: list[str] = []
    missing: list[str] = []
    if schedule:
        lines.append(f"Reports run on schedule {schedule} ({f.charter.reports.timezone})")
        sources.append(_field("reports.schedule"))
    else:
        missing.append("no post-market monitoring schedule (reports.schedule)")
    state = f.reports
    if state.last_success is not None:
        lines.append(f"Last report: {state.last_report or 'unnamed'}, {_when(state.last_success)}")
        sources.append(f"report run: {state.last_report or _when(state.last_success)}")
    else:
        missing.append("no report has run yet (codesign report run)")
    if f.charter.outcomes:
        lines.append(f"{len(f.charter.outcomes)} outcome(s) measured on every iteration")
    return Finding(tuple(lines), tuple(sources), tuple(missing))


def lifecycle(f: Facts) -> Finding:
    return iterations(f) + signoffs(f)


def standards(f: Facts) -> Finding:
    lines = [
        "EU AI Act Annex IV technical documentation (this document)",
        "TRIPOD+AI and DECIDE-AI reporting checklists (tripod-ai.html, decide-ai.html)",
        "CHAI Applied Model Card v0.2 (model-card.xml)",
    ]
    if f.charter.risks:
        lines.append("Hazard log in the vocabulary of ISO 14971 and DCB0129")
    return Finding(
        tuple(lines),
        ("codesign evidence",),
        (
            "no harmonised standard declared by the provider "
            "(not held in the project's store: attach it)",
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
