"""The new project's charter: its preset, with the project's own names filled in.

The preset's text is loaded as a :class:`~codesign.charter.CharterFile` and edited through the
model, then saved: the preset's comments (where each target comes from) survive, the result is
validated like any other save, and the file is created atomically, never over an existing one.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from codesign.charter import CharterFile, preset_text
from codesign.charter.model import Language, Side, Stakeholder
from codesign.config import CHARTER_FILENAME

if TYPE_CHECKING:
    from pathlib import Path

    from codesign.charter import Charter
    from codesign.scaffold.spec import ProjectSpec

logger = logging.getLogger(__name__)

CLINICAL_LEAD_ROLES = {"en": "clinical lead", "fr": "responsable clinique"}
"""The role given to a clinical lead named for a preset that has none, in each language."""


def write_charter(spec: ProjectSpec, project_dir: Path) -> Path:
    """Write ``codesign.yaml`` in ``project_dir`` from the spec's preset; returns its path.

    Raises :class:`~codesign.exceptions.ConflictError` if a charter is already there.
    """
    path = project_dir / CHARTER_FILENAME
    file = CharterFile.from_text(preset_text(spec.preset, spec.language), path)
    fill_charter(file.charter, spec)
    file.save()
    logger.info("wrote %s from preset %s", path, spec.preset)
    return path


def preset_defaults(preset: str, language: str = "en") -> dict[str, str]:
    """What a preset says for each optional variable (what an empty answer keeps)."""
    charter = CharterFile.from_text(preset_text(preset, language), CHARTER_FILENAME).charter
    lead = charter.clinical_lead
    return {
        "clinical_lead": lead.name if lead else "",
        "partner_organisation": charter.use_case.partner or "",
        "site": charter.use_case.site or "",
        "timezone": charter.reports.timezone,
    }


def fill_charter(charter: Charter, spec: ProjectSpec) -> None:
    """Put the project's names into a preset's charter, in place.

    The preset's clinical lead and partner are examples: where the spec names the real ones, they
    replace the examples everywhere the examples appear (the stakeholder list, outcome owners,
    the partner's staff), so no outcome is left owned by a person who is not on the project.
    """
    use_case = charter.use_case
    if spec.language != Language.EN:  # an English charter stays the preset's, language unset
        charter.language = Language(spec.language)
    use_case.title = spec.project_name
    use_case.slug = spec.project_slug
    if spec.site:
        use_case.site = spec.site
    if spec.partner_organisation:
        _rename_partner(charter, spec.partner_organisation)
    if spec.clinical_lead:
        _set_clinical_lead(charter, spec.clinical_lead, CLINICAL_LEAD_ROLES[spec.language])
    if spec.timezone:
        charter.reports.timezone = spec.timezone


def _rename_partner(charter: Charter, partner: str) -> None:
    example = charter.use_case.partner
    charter.use_case.partner = partner
    for person in charter.stakeholders:
        if person.side is Side.PARTNER and person.organisation == example:
            person.organisation = partner


def _set_clinical_lead(charter: Charter, name: str, role: str) -> None:
    lead = charter.clinical_lead
    if lead is None:
        new = Stakeholder(name=name, role=role, side=Side.INTERNAL)
        charter.stakeholders = [new, *charter.stakeholders]
        return
    example = lead.name
    lead.name = name
    for outcome in charter.outcomes:
        if outcome.owner == example:
            outcome.owner = name
