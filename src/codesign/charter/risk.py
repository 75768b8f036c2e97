"""Charter format 2: intended use, the hazard log and the evidence a project must hold.

Regulators, ethics boards and buyers ask the same three things of an AI use case: what it is
for (and not for), what can go wrong for a patient and what is done about it, and where the
proof is. These models give each a place in the charter, next to the outcomes that measure them.

The hazard log speaks the vocabulary of ISO 14971 and the NHS clinical safety standard DCB0129:
a hazard, its cause, its effect on the patient, a severity and a likelihood on 1–5 scales,
controls (mitigations) with an owner, the residual severity and likelihood once the controls are
in place, and the outcomes that monitor it. The risk score (severity × likelihood) and its
acceptability band are computed, never typed, so a log cannot claim "acceptable" for a 5×5.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Final, Literal

from pydantic import Field, StringConstraints

# model.py imports this module before defining Charter: only names defined above that point.
from codesign.charter.model import Name, OutcomeId, Text, _Model
from codesign.i18n import N_, _

if TYPE_CHECKING:
    from codesign.charter.model import Charter, Loc

Level = Annotated[int, Field(ge=1, le=5)]
"""A severity or likelihood on the 1–5 scale of a 5×5 risk matrix."""

HazardId = Annotated[
    str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_.-]*$", min_length=1, max_length=32)
]
"""A short key such as ``H1`` or ``haz-under-triage``."""

EvidenceItemId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*\.[0-9a-z.]+$", min_length=3, max_length=32)
]
"""An evidence item such as ``annex-iv.5``, ``tripod-ai.12`` or ``decide-ai.3``."""

Band = Literal["acceptable", "ALARP", "unacceptable"]

ACCEPTABLE_MAX: Final = 4
"""Scores up to 4 (e.g. minor and unlikely) are broadly acceptable."""
ALARP_MAX: Final = 12
"""Scores 5–12 are tolerable only if reduced as low as reasonably practicable (ALARP); 15 and
above (e.g. major and likely) are unacceptable."""


SEVERITY_WORDS: Final = {
    1: N_("minor"),
    2: N_("moderate"),
    3: N_("serious"),
    4: N_("major"),
    5: N_("catastrophic"),
}
"""Each severity level in words, as the forms and the report name it."""
LIKELIHOOD_WORDS: Final = {
    1: N_("very rare"),
    2: N_("rare"),
    3: N_("possible"),
    4: N_("likely"),
    5: N_("very likely"),
}
"""Each likelihood level in words, as the forms and the report name it."""


def band_of(score: int) -> Band:
    """The acceptability band of a risk score (severity × likelihood, 1–25)."""
    if score <= ACCEPTABLE_MAX:
        return "acceptable"
    if score <= ALARP_MAX:
        return "ALARP"
    return "unacceptable"


class IntendedUse(_Model):
    """What the system is for, for whom, where, and where it must not be used."""

    purpose: Text | None = None
    """The clinical purpose, in one or two sentences."""
    intended_users: list[Name] = Field(default_factory=list)
    """Who acts on the output; defaults to the use case's intended users."""
    setting: Text | None = None
    """Where it is used; defaults to the use case's setting."""
    out_of_scope: list[Text] = Field(default_factory=list)
    """Settings, patients and uses it must not be used for (contraindications)."""
    human_oversight: Text | None = None
    """Who acts on the output and how: what a person checks before anything happens."""
    known_limitations: list[Text] = Field(default_factory=list)
    """What the system does not do well, as known today."""


class Control(_Model):
    """A mitigation of a hazard, owned by a person."""

    measure: Text
    """What is done, e.g. "nurse confirms every level 1–2 suggestion"."""
    owner: Name | None = None


class Hazard(_Model):
    """One line of the hazard log (ISO 14971 / DCB0129)."""

    id: HazardId
    hazard: Text
    """What can go wrong, e.g. "a high-acuity patient is under-triaged"."""
    cause: Text | None = None
    effect: Text | None = None
    """The effect on the patient."""
    severity: Level
    """1 (minor) to 5 (catastrophic), before controls."""
    likelihood: Level
    """1 (very rare) to 5 (very likely), before controls."""
    controls: list[Control] = Field(default_factory=list)
    residual_severity: Level | None = None
    """Severity once the controls are in place."""
    residual_likelihood: Level | None = None
    """Likelihood once the controls are in place."""
    monitoring: list[OutcomeId] = Field(default_factory=list)
    """Ids of the outcomes that monitor this hazard on every iteration."""

    @property
    def score(self) -> int:
        """Severity × likelihood before controls."""
        return self.severity * self.likelihood

    @property
    def band(self) -> Band:
        return band_of(self.score)

    @property
    def residual_score(self) -> int | None:
        """Residual severity × likelihood; ``None`` until both are assessed."""
        if self.residual_severity is None or self.residual_likelihood is None:
            return None
        return self.residual_severity * self.residual_likelihood

    @property
    def residual_band(self) -> Band | None:
        score = self.residual_score
        return None if score is None else band_of(score)


class EvidencePolicy(_Model):
    """Which evidence items must be present (``codesign evidence --check`` fails otherwise)."""

    required: list[EvidenceItemId] = Field(default_factory=list)
    """Item ids, e.g. ``annex-iv.5`` (risk management) or ``tripod-ai.12``."""


FORMAT_2_FIELDS: Final = ("intended_use", "risks", "evidence")
"""The top-level fields format 2 added; a charter without them is a format 1 charter."""


def uses_format_2(charter: Charter) -> bool:
    """Whether the charter fills any field that format 1 does not have."""
    return bool(charter.intended_use or charter.risks or charter.evidence.required)


def risk_issues(charter: Charter) -> list[tuple[Loc, str]]:
    """Rules across the hazard log and the outcomes: unique ids, outcomes that exist, residual
    pairs assessed together."""
    from codesign.charter.model import _duplicates

    issues = _duplicates(((("risks", i, "id"), h.id) for i, h in enumerate(charter.risks)))
    outcome_ids = {o.id for o in charter.outcomes}
    for i, hazard in enumerate(charter.risks):
        for j, outcome in enumerate(hazard.monitoring):
            if outcome not in outcome_ids:
                known = ", ".join(sorted(outcome_ids))
                message = (
                    _("no outcome {outcome} in this charter; expected one of: {known}")
                    if known
                    else _("no outcome {outcome} in this charter, which has none yet")
                )
                issues.append(
                    (
                        ("risks", i, "monitoring", j),
                        message.format(outcome=repr(outcome), known=known),
                    )
                )
        if (hazard.residual_severity is None) != (hazard.residual_likelihood is None):
            missing = (
                "residual_likelihood"
                if hazard.residual_likelihood is None
                else ("residual_severity")
            )
            issues.append(
                (
                    ("risks", i, missing),
                    _("residual severity and likelihood go together; set both"),
                )
            )
    issues.extend(
        _duplicates(
            (
                (("evidence", "required", i), item)
                for i, item in enumerate(charter.evidence.required)
            )
        )
    )
    return issues
