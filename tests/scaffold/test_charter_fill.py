"""The new project's charter: its preset, with the project's names, comments kept, valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesign.charter import PRESETS, load_charter, preset_text
from codesign.exceptions import ConflictError
from codesign.scaffold import ProjectSpec, preset_defaults
from codesign.scaffold.charter import write_charter


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


@pytest.mark.parametrize("preset", PRESETS)
def test_names_are_filled_in_and_the_charter_validates(tmp_path: Path, preset: str) -> None:
    spec = ProjectSpec.from_name(
        "Sepsis alert",
        preset=preset,
        clinical_lead="Dr Zoé Bernard",
        partner_organisation="ACME Health AI",
        site="CHU Exemple",
        timezone="America/Montreal",
    )
    path = write_charter(spec, tmp_path)
    charter = load_charter(path).charter
    assert charter.use_case.title == "Sepsis alert"
    assert charter.use_case.slug == "sepsis-alert"
    assert charter.use_case.site == "CHU Exemple"
    assert charter.use_case.partner == "ACME Health AI"
    assert charter.reports.timezone == "America/Montreal"
    lead = charter.clinical_lead
    assert lead is not None
    assert lead.name == "Dr Zoé Bernard"
    assert lead.role == "clinical lead"
    assert comments(path.read_text(encoding="utf-8")) == comments(preset_text(preset))


@pytest.mark.parametrize("preset", PRESETS)
def test_the_example_lead_and_partner_are_replaced_everywhere(tmp_path: Path, preset: str) -> None:
    example = preset_defaults(preset)
    spec = ProjectSpec.from_name(
        "X", preset=preset, clinical_lead="Dr Q", partner_organisation="ACME"
    )
    text = write_charter(spec, tmp_path).read_text(encoding="utf-8")
    for old in (example["clinical_lead"], example["partner_organisation"]):
        if old:
            assert old not in text
    charter = load_charter(tmp_path).charter
    leads = [s for s in charter.stakeholders if s.role == "clinical lead"]
    assert [s.name for s in leads] == ["Dr Q"]
    partner_staff = [s for s in charter.stakeholders if s.side == "partner"]
    assert all(s.organisation in (None, "ACME") for s in partner_staff)


def test_empty_answers_keep_the_preset(tmp_path: Path) -> None:
    path = write_charter(ProjectSpec.from_name("Nurse triage assistant"), tmp_path)
    original = preset_text("triage").splitlines()
    written = path.read_text(encoding="utf-8").splitlines()
    # only the slug is added: every other line is the preset's, in order
    assert [line for line in written if not line.strip().startswith("slug:")] == original


def test_a_renamed_lead_keeps_its_line(tmp_path: Path) -> None:
    path = write_charter(ProjectSpec.from_name("X", clinical_lead="Dr Q"), tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "  - {name: Dr Q, role: clinical lead, side: internal}\n" in text


def test_a_blank_charter_gets_its_lead(tmp_path: Path) -> None:
    path = write_charter(ProjectSpec.from_name("X", preset="blank", clinical_lead="Dr Q"), tmp_path)
    charter = load_charter(path).charter
    assert [(s.name, s.role) for s in charter.stakeholders] == [("Dr Q", "clinical lead")]
    assert charter.outcomes == []


def test_an_existing_charter_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "codesign.yaml").write_text("mine\n")
    with pytest.raises(ConflictError):
        write_charter(ProjectSpec.from_name("X"), tmp_path)
    assert (tmp_path / "codesign.yaml").read_text() == "mine\n"


def test_preset_defaults() -> None:
    assert preset_defaults("triage") == {
        "clinical_lead": "Dr A. Martin",
        "partner_organisation": "Example Health AI",
        "site": "Example University Hospital",
        "timezone": "Europe/Paris",
    }
    assert preset_defaults("blank") == {
        "clinical_lead": "",
        "partner_organisation": "",
        "site": "",
        "timezone": "UTC",
    }
