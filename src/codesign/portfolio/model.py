"""What a portfolio holds: one :class:`Initiative` per project, with the flags an AI office acts on.

Everything here is a charter field, a count, a date or a metric value; nothing read from a
project's data can reach these objects, so nothing from patient data can reach the dashboard or
its exports. A project that cannot be read fully is still an initiative: it carries what could
be read and, in ``problems``, our message saying what could not (never a traceback).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from codesign.charter.model import DecisionOption, Stage
from codesign.i18n import N_, _

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Mapping
    from pathlib import Path

    from codesign.project import GateStatus, ReportRunStatus
    from codesign.tracking.promotion import Promotion
    from codesign.tracking.standing import Standing

DEFAULT_STALE_AFTER_DAYS: Final = 90
"""An initiative with no recorded activity for this many days is flagged."""

UNDECIDED: Final = "undecided"
"""How an initiative without a build/buy/partner choice is shown and counted."""

GOVERNANCE_STATES: Final = ("passed", "failed", "not run")


class FlagCode(StrEnum):
    """Something the AI office should act on, as a stable code for filters and exports."""

    BROKEN = "broken"
    """The project could not be read fully (invalid charter, corrupt store...)."""
    NO_CLINICAL_LEAD = "no_clinical_lead"
    NO_SIGNOFF = "no_signoff"
    """Nobody signed off the charter as it is now."""
    GOVERNANCE_NOT_RUN = "governance_not_run"
    GOVERNANCE_FAILED = "governance_failed"
    INACTIVE = "inactive"
    """No recorded activity for ``stale_after_days`` days."""
    REGRESSING = "regressing"
    """The latest iteration misses an outcome an earlier iteration met."""
    REPORT_FAILED = "report_failed"
    """The last report run failed (a cell, the kernel, a time limit): nobody got the report."""
    STAGE_UNBACKED = "stage_unbacked"
    """At pilot or scaled with neither a go decision (``codesign promote``) nor a reason."""
    EVIDENCE_INCOMPLETE = "evidence_incomplete"
    """An evidence item the charter requires (``evidence.required``) is not evidenced."""


FLAG_LABELS: Final[Mapping[FlagCode, str]] = {
    FlagCode.BROKEN: N_("cannot be read"),
    FlagCode.NO_CLINICAL_LEAD: N_("no clinical lead"),
    FlagCode.NO_SIGNOFF: N_("no sign-off on the current charter"),
    FlagCode.GOVERNANCE_NOT_RUN: N_("governance never run"),
    FlagCode.GOVERNANCE_FAILED: N_("governance failing"),
    FlagCode.INACTIVE: N_("no recent activity"),
    FlagCode.REGRESSING: N_("outcomes regressing"),
    FlagCode.REPORT_FAILED: N_("last report failed"),
    FlagCode.STAGE_UNBACKED: N_("deployed without a go decision"),
    FlagCode.EVIDENCE_INCOMPLETE: N_("required evidence missing"),
}
"""Short plain-language names of the flags, for filters and badges, as catalogue messages
(:attr:`Flag.label` and :func:`flag_label` say them in the reader's language)."""


def flag_label(code: FlagCode) -> str:
    """The flag's short name in the reader's language: "no clinical lead", "pas de responsable
    clinique"."""
    return _(FLAG_LABELS[code])


@dataclass(frozen=True)
class Flag:
    """One flag on one initiative: its code and what exactly is wrong, in a sentence."""

    code: FlagCode
    message: str

    @property
    def label(self) -> str:
        """The flag's short name in the reader's language."""
        return flag_label(self.code)


@dataclass(frozen=True)
class OutcomeTally:
    """How the latest iteration did against the current charter's outcomes."""

    met: int
    measured: int
    """Outcomes the iteration had the data to measure (the others count as not met)."""
    total: int
    """Outcomes in the charter now."""

    @property
    def share(self) -> float | None:
        """Share of the charter's outcomes met, ``None`` for a charter without outcomes."""
        return self.met / self.total if self.total else None


@dataclass(frozen=True)
class LatestIteration:
    """The most recent finished iteration of an initiative.

    Its name is left out: unlike the charter's fields, a run's name is free text typed by
    whoever logged it (a file name, say), and the portfolio shows only charter fields, counts,
    dates and metric values.
    """

    run_id: str
    started_at: dt.datetime


@dataclass(frozen=True)
class GateRun:
    """One governance gate result the project keeps: when, how it ended, counts per category.

    The portfolio keeps the history so a failed run on a raw extract stays visible after the
    de-identified extract passes; the data's file name stays in the project's report.
    """

    checked_at: dt.datetime
    passed: bool
    rows: int
    findings: Mapping[str, int] = field(default_factory=dict)
    """Rows found per finding category (``phi.name: 12``): counts, never a value."""


@dataclass(frozen=True)
class ReportFile:
    """An executed report in a project's ``reports/`` folder."""

    path: Path
    created_at: dt.datetime
    """From the UTC time stamp in the file name, which the report runner writes."""


@dataclass(frozen=True)
class Activity:
    """The most recent thing that happened on an initiative, and what it was."""

    at: dt.datetime
    kind: str
    """iteration, governance gate, report, sign-off, charter edited, feedback: an English key
    (the exports') and a catalogue message (``_(kind)`` says it in the reader's language)."""


@dataclass(frozen=True)
class EvidenceTally:
    """How much of what regulators ask for the project holds (``codesign evidence``'s items)."""

    evidenced: int
    partial: int
    missing: int
    required_missing: tuple[str, ...] = ()
    """Ids of the items the charter requires that are not evidenced (``annex-iv.5``...)."""

    @property
    def total(self) -> int:
        return self.evidenced + self.partial + self.missing

    def to_json(self) -> dict[str, object]:
        return {
            "evidenced": self.evidenced,
            "partial": self.partial,
            "missing": self.missing,
            "total": self.total,
            "required_missing": list(self.required_missing),
        }


@dataclass(frozen=True)
class Initiative:
    """One project of the portfolio, as the AI office sees it.

    Fields that could not be read are ``None`` (and ``problems`` says why); an initiative whose
    charter is invalid has only its ``path`` and its problem.
    """

    path: Path
    title: str | None = None
    slug: str | None = None
    site: str | None = None
    stage: Stage | None = None
    """The charter's stage, or a later go decision's when that is further on."""
    stage_problem: str | None = None
    """Set when the stage is pilot or scaled with neither a go decision nor a reason."""
    clinical_lead: str | None = None
    partner: str | None = None
    decision: DecisionOption | None = None
    outcomes_total: int | None = None
    iterations: int | None = None
    """Finished iterations logged; ``None`` when the store could not be read."""
    latest_iteration: LatestIteration | None = None
    outcomes: OutcomeTally | None = None
    """On the latest iteration; ``None`` before the first iteration."""
    regressing: tuple[str, ...] = ()
    """Outcome ids the latest iteration misses although an earlier one met them."""
    standing: Standing | None = None
    """The judged (latest) iteration's standing: what ``compare``, the report and ``promote``
    state for it, value for value."""
    gate_history: tuple[GateRun, ...] = ()
    """Every gate result the project keeps, newest first."""
    promotion: Promotion | None = None
    """The latest go decision (``codesign promote``), if any."""
    evidence: EvidenceTally | None = None
    """Evidence items over every framework; ``None`` when the iterations could not be read."""
    governance: GateStatus | None = None
    """The latest gate result's status; ``None`` when it could not be read."""
    governance_checked_at: dt.datetime | None = None
    governance_current: bool | None = None
    """The latest gate ran under the charter as it is now (same content hash)."""
    signoffs_valid: int | None = None
    """Sign-offs given on the charter as it is now."""
    signoffs_outdated: int | None = None
    report: ReportFile | None = None
    report_status: ReportRunStatus | None = None
    """How the last report run ended (``None``: no run recorded by ``codesign report run``)."""
    report_attempted_at: dt.datetime | None = None
    last_activity: Activity | None = None
    flags: tuple[Flag, ...] = ()
    problems: tuple[str, ...] = ()
    """Why parts of the project could not be read: our messages, never a data value."""

    @property
    def name(self) -> str:
        """The title, or the folder's name when the charter could not be read."""
        return self.title or self.path.name

    @property
    def broken(self) -> bool:
        return bool(self.problems)

    @property
    def charter_read(self) -> bool:
        return self.title is not None

    @property
    def decision_label(self) -> str:
        """The build/buy/partner key (``undecided`` when none): a filter value, not a word."""
        return self.decision.value if self.decision is not None else UNDECIDED

    def flagged(self, code: FlagCode) -> bool:
        return any(flag.code is code for flag in self.flags)


@dataclass(frozen=True)
class Summary:
    """Counts across the portfolio, for the dashboard's charts and the command's last line."""

    initiatives: int
    broken: int
    flagged: int
    by_stage: Mapping[str, int]
    """Every stage in order (zeros included), for initiatives whose charter was read."""
    by_decision: Mapping[str, int]
    by_governance: Mapping[str, int]
    by_outcomes: Mapping[str, int]
    """Initiatives per share of outcomes met on their latest iteration (see :data:`BANDS`)."""
    by_flag: Mapping[FlagCode, int]
    outcomes_met: int
    outcomes_total: int
    """Outcomes met and defined, summed over the latest iterations of every initiative."""


BANDS: Final = (
    N_("all met"),
    N_("half or more"),
    N_("under half"),
    N_("none met"),
    N_("no iteration yet"),
)
"""How the share of outcomes met on the latest iteration is banded in the summary: stable
English keys (filters, the JSON export) and catalogue messages, shown with ``_(band)``."""


def outcome_band(initiative: Initiative) -> str | None:
    """The band of :data:`BANDS` the initiative falls in.

    ``None`` when there is nothing to band: no outcome in the charter, or a charter or store
    that could not be read.
    """
    if (
        not initiative.charter_read
        or not initiative.outcomes_total
        or initiative.iterations is None
    ):
        return None
    tally = initiative.outcomes
    if tally is None:
        return BANDS[4]
    share = tally.share or 0.0
    if share >= 1:
        return BANDS[0]
    if share >= 0.5:
        return BANDS[1]
    return BANDS[2] if share > 0 else BANDS[3]


@dataclass(frozen=True)
class Portfolio:
    """Every initiative found under the roots, as of ``generated_at``."""

    roots: tuple[Path, ...]
    generated_at: dt.datetime
    stale_after_days: int
    initiatives: tuple[Initiative, ...] = field(default_factory=tuple)

    def summary(self) -> Summary:
        """Counts per stage, decision, governance status, outcome band and flag."""
        read = [i for i in self.initiatives if i.charter_read]
        stages = Counter(i.stage.value for i in read if i.stage is not None)
        decisions = Counter(i.decision_label for i in read)
        governance = Counter(i.governance or "unreadable" for i in read)
        bands = Counter(band for i in read if (band := outcome_band(i)) is not None)
        flags = Counter(flag.code for i in self.initiatives for flag in i.flags)
        tallies = [i.outcomes for i in read if i.outcomes is not None]
        return Summary(
            initiatives=len(self.initiatives),
            broken=sum(1 for i in self.initiatives if i.broken),
            flagged=sum(1 for i in self.initiatives if i.flags),
            by_stage={stage.value: stages[stage.value] for stage in Stage},
            by_decision={
                **{option.value: decisions[option.value] for option in DecisionOption},
                UNDECIDED: decisions[UNDECIDED],
            },
            by_governance={
                **{state: governance[state] for state in GOVERNANCE_STATES},
                **({"unreadable": governance["unreadable"]} if governance["unreadable"] else {}),
            },
            by_outcomes={band: bands[band] for band in BANDS},
            by_flag={code: flags[code] for code in FlagCode},
            outcomes_met=sum(t.met for t in tallies),
            outcomes_total=sum(t.total for t in tallies),
        )
