"""Charter format 2: intended use, the hazard log, evidence.required; format 1 read without loss."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codesign.charter import load_charter, parse_charter
from codesign.charter.risk import band_of
from codesign.exceptions import CharterError

HAZARDS = """
schema_version: 2
use_case: {title: Sepsis early warning}
outcomes:
  - {id: sens, title: Catch sepsis, category: safety, metric: sensitivity, target: ">= 0.75"}
risks:
  - id: H1
    hazard: A septic patient is not flagged
    severity: 5
    likelihood: 3
    controls:
      - {measure: Nurse review of every unflagged deterioration, owner: Dr A. Martin}
    residual_severity: 5
    residual_likelihood: 1
    monitoring: [sens]
"""


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (1, "acceptable"),
        (4, "acceptable"),
        (5, "ALARP"),
        (12, "ALARP"),
        (15, "unacceptable"),
        (25, "unacceptable"),
    ],
)
def test_band_is_computed_from_the_score(score: int, band: str) -> None:
    assert band_of(score) == band


def test_hazard_score_and_bands_are_computed() -> None:
    hazard = parse_charter(HAZARDS).risks[0]
    assert (hazard.score, hazard.band) == (15, "unacceptable")
    assert (hazard.residual_score, hazard.residual_band) == (5, "ALARP")


def test_band_cannot_be_typed() -> None:
    with pytest.raises(CharterError) as caught:
        parse_charter(
            HAZARDS.replace("    likelihood: 3\n", "    likelihood: 3\n    band: acceptable\n")
        )
    assert any(
        i.loc == "risks[0].band" and "unknown field" in i.message for i in caught.value.issues
    )


def test_hazard_log_errors_name_field_and_line(data_dir: Path) -> None:
    with pytest.raises(CharterError) as caught:
        load_charter(data_dir / "charter-hazards-invalid.yaml")
    found = {(i.loc, i.line): i.message for i in caught.value.issues}
    assert "greater than or equal to 1" in found[("risks[0].likelihood", 9)]
    assert "less than or equal to 5" in found[("risks[0].severity", 8)]
    assert "duplicate 'H2'" in found[("risks[2].id", 15)]
    # Cross-field rules are reported once every field is valid: fix the levels and look again.
    text = (data_dir / "charter-hazards-invalid.yaml").read_text(encoding="utf-8")
    with pytest.raises(CharterError) as caught:
        parse_charter(
            text.replace("severity: 6", "severity: 4").replace("likelihood: 0", "likelihood: 2")
        )
    messages = {i.loc: i.message for i in caught.value.issues}
    assert "no outcome 'alarms'" in messages["risks[1].monitoring[1]"]
    assert "duplicate 'H2', already used at risks[1].id" in messages["risks[2].id"]
    assert "go together" in messages["risks[2].residual_likelihood"]


def test_evidence_item_ids_are_checked() -> None:
    text = HAZARDS + "evidence: {required: [annex-iv.5, Annex IV]}\n"
    with pytest.raises(CharterError) as caught:
        parse_charter(text)
    assert [i.loc for i in caught.value.issues] == ["evidence.required[1]"]


def test_format_1_reads_and_saves_without_loss(tmp_path: Path, data_dir: Path) -> None:
    path = tmp_path / "codesign.yaml"
    shutil.copy(data_dir / "charter-format-1.yaml", path)
    original = path.read_text(encoding="utf-8")
    file = load_charter(path)
    assert file.charter.schema_version == 1
    before = file.charter.content_sha256()
    file.charter.use_case.problem = "Sepsis is recognised late on the wards"
    file.save()
    saved = path.read_text(encoding="utf-8")
    # Every line of the original is still there (comments, flow style, the 0.750 as written),
    # the version included: only the one new line was added.
    assert [line for line in saved.splitlines() if line not in original.splitlines()] == [
        "  problem: Sepsis is recognised late on the wards"
    ]
    reloaded = load_charter(path)
    assert reloaded.charter.schema_version == 1
    assert reloaded.charter.content_sha256() != before
    # Reading alone changes nothing, hash included (sign-offs and iterations still match).
    shutil.copy(data_dir / "charter-format-1.yaml", path)
    assert load_charter(path).charter.content_sha256() == before


def test_format_1_becomes_format_2_when_a_new_field_is_set(tmp_path: Path, data_dir: Path) -> None:
    from codesign.charter.risk import Hazard, IntendedUse

    path = tmp_path / "codesign.yaml"
    shutil.copy(data_dir / "charter-format-1.yaml", path)
    file = load_charter(path)
    file.charter.intended_use = IntendedUse(
        purpose="Flag sepsis early", human_oversight="A nurse reviews each alert"
    )
    file.charter.risks = [
        Hazard(id="H1", hazard="Missed sepsis", severity=5, likelihood=2, monitoring=["sens"])
    ]
    file.save()
    saved = path.read_text(encoding="utf-8")
    assert "schema_version: 2" in saved
    assert "# the name the ward knows" in saved
    assert "# as coded by the EHR" in saved
    charter = load_charter(path).charter
    assert charter.schema_version == 2
    assert charter.risks[0].band == "ALARP"
    assert charter.intended_use is not None
    assert charter.intended_use.purpose == "Flag sepsis early"


def test_a_hazard_appended_in_place_saves_as_format_2_and_leaves_nothing_unsaved(
    tmp_path: Path, data_dir: Path
) -> None:
    from codesign.charter.risk import Hazard

    path = tmp_path / "codesign.yaml"
    shutil.copy(data_dir / "charter-format-1.yaml", path)
    file = load_charter(path)
    file.charter.risks.append(Hazard(id="H1", hazard="Missed sepsis", severity=5, likelihood=2))
    file.save()
    assert "schema_version: 2" in path.read_text(encoding="utf-8")
    assert file.charter.schema_version == 2
    assert not file.modified
    assert file.charter.content_sha256() == load_charter(path).charter.content_sha256()
