"""The intended use and hazard log forms."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from codesign.charter import load_charter
from codesign.widgets import Workshop
from codesign.widgets.risks import IntendedUseForm, RiskForm, parse_controls

from .conftest import comments, visible


@pytest.fixture
def intended_use(workshop: Workshop) -> IntendedUseForm:
    form = workshop.intended_use
    assert isinstance(form, IntendedUseForm)
    return form


@pytest.fixture
def risks(workshop: Workshop) -> RiskForm:
    form = workshop.risks
    assert isinstance(form, RiskForm)
    return form


@pytest.fixture
def format_1(tmp_path: Path, data_dir: Path) -> Workshop:
    folder = tmp_path / "sepsis"
    folder.mkdir()
    shutil.copy(data_dir / "charter-format-1.yaml", folder / "codesign.yaml")
    opened = Workshop.open(folder)
    assert opened.session is not None, opened.problem
    return opened


def test_intended_use_fields_show_the_charter(intended_use: IntendedUseForm) -> None:
    assert intended_use.input("purpose").value.startswith("Suggest a triage level")
    assert intended_use.input("intended_users").value == "triage nurse"
    assert intended_use.input("out_of_scope").value == (
        "Children under 18\nPre-hospital (ambulance) triage\nAssigning a level without a nurse"
    )
    assert intended_use.input("human_oversight").description == (
        "Who checks the output before anything happens"
    )
    assert intended_use.input("out_of_scope").description == "Must not be used for"


def test_intended_use_edits_are_saved_with_every_comment(intended_use: IntendedUseForm) -> None:
    original = intended_use.session.path.read_text()
    intended_use.input("out_of_scope").value = "Children under 18, or pregnant\n\n  Ambulances "
    intended_use.input("intended_users").value = "triage nurse, senior nurse"
    assert intended_use.input("out_of_scope").value == "Children under 18, or pregnant\nAmbulances"
    intended_use.save_bar.save_button.click()
    use = load_charter(intended_use.session.path).charter.intended_use
    assert use is not None
    assert use.out_of_scope == ["Children under 18, or pregnant", "Ambulances"]
    assert use.intended_users == ["triage nurse", "senior nurse"]
    assert comments(intended_use.session.path.read_text()) == comments(original)


def test_a_format_1_charter_opened_and_saved_is_unchanged(format_1: Workshop) -> None:
    assert format_1.session is not None
    path = format_1.session.path
    before, sha = path.read_bytes(), format_1.session.charter.content_sha256()
    use, risks = format_1.intended_use, format_1.risks
    assert isinstance(use, IntendedUseForm)
    assert isinstance(risks, RiskForm)
    assert use.input("purpose").value == ""
    assert risks.rows == []
    # typing nothing in a field, then filling and emptying one, is no edit
    use.input("purpose").value = "   "
    use.input("known_limitations").value = "Not tested on children"
    use.input("known_limitations").value = ""
    assert format_1.session.charter.intended_use is None
    risks.save_bar.save_button.click()
    use.save_bar.save_button.click()
    assert path.read_bytes() == before
    assert load_charter(path).charter.content_sha256() == sha
    assert use.save_bar.status_text.startswith("Saved to codesign.yaml")
    assert not format_1.session.file.modified


def test_a_format_1_charter_becomes_format_2_once_a_field_is_filled(format_1: Workshop) -> None:
    assert format_1.session is not None
    original = format_1.session.path.read_text()
    use = format_1.intended_use
    assert isinstance(use, IntendedUseForm)
    use.input("human_oversight").value = "The ward nurse reviews each alert"
    use.save_bar.save_button.click()
    text = format_1.session.path.read_text()
    assert "schema_version: 2" in text
    assert "  human_oversight: The ward nurse reviews each alert" in text
    assert comments(text) == comments(original)
    assert not format_1.session.file.modified
    assert "Saved" in use.save_bar.status_text


def test_adding_a_hazard_parses_its_controls(risks: RiskForm) -> None:
    original = risks.session.path.read_text()
    new = risks.new
    assert new.id_input.placeholder == "H4"
    new.cells[1].inputs[0].value = "Alarms ignored after too many false ones"
    new.level_inputs[0].value = 3
    new.level_inputs[1].value = 4
    new.controls_input.value = "Weekly review of alerts (B. Lefèvre)\n\nthreshold audit; monthly "
    risks.table.add_button.click()
    assert risks.table.messages.text.startswith("Added;")
    risks.save_bar.save_button.click()
    hazard = load_charter(risks.session.path).charter.risks[-1]
    assert hazard.id == "H4"
    assert [(c.measure, c.owner) for c in hazard.controls] == [
        ("Weekly review of alerts", "B. Lefèvre"),
        ("threshold audit; monthly", None),
    ]
    assert (
        risks.rows[-1].controls_input.value
        == "Weekly review of alerts (B. Lefèvre)\nthreshold audit; monthly"
    )
    assert comments(risks.session.path.read_text()) == comments(original)
    assert new.id_input.placeholder == "H5"


def test_controls_text_is_read_as_measures_and_owners() -> None:
    """One measure a line: a semicolon inside a measure (the triage preset's H1) stays in it."""
    assert parse_controls("a (x)\n b; not split\n\nc ( y ) ") == [
        {"measure": "a", "owner": "x"},
        {"measure": "b; not split"},
        {"measure": "c", "owner": "y"},
    ]


def test_an_unrelated_edit_keeps_the_controls_as_written(risks: RiskForm) -> None:
    # unchanged text is not parsed again: the controls stay exactly as written
    before = risks.session.charter.risks[0].controls
    risks.rows[0].level_inputs[1].value = 2
    assert risks.session.charter.risks[0].controls == before
    assert risks.session.charter.risks[0].likelihood == 2


def test_a_bad_residual_pair_is_shown_and_blocks_the_save(risks: RiskForm) -> None:
    before = risks.session.path.read_bytes()
    row = risks.rows[1]
    row.level_inputs[3].value = 0  # likelihood with controls: not assessed, severity still 4
    message = visible(row.errors["residual_likelihood"].value)
    assert message == "with the controls in place, choose both levels or neither"
    risks.save_bar.save_button.click()
    assert risks.session.path.read_bytes() == before
    assert "not saved" in risks.save_bar.messages.text
    assert row.level_inputs[3].value == 0  # nothing typed is lost
    row.level_inputs[2].value = 0
    assert row.errors["residual_likelihood"].value == ""
    risks.save_bar.save_button.click()
    hazard = load_charter(risks.session.path).charter.risks[1]
    assert (hazard.residual_severity, hazard.residual_likelihood) == (None, None)
    assert "not assessed yet" in visible(row.residual_risk.value)


def test_a_new_hazard_with_half_a_residual_pair_is_not_added(risks: RiskForm) -> None:
    new = risks.new
    new.cells[1].inputs[0].value = "Wrong patient"
    new.level_inputs[0].value = 4
    new.level_inputs[1].value = 1
    new.level_inputs[2].value = 2
    risks.table.add_button.click()
    assert "not added yet" in risks.table.messages.text
    assert "choose both levels or neither" in visible(new.errors["residual_likelihood"].value)
    assert len(risks.session.charter.risks) == 3
    assert new.cells[1].inputs[0].value == "Wrong patient"


def test_levels_must_be_chosen(risks: RiskForm) -> None:
    new = risks.new
    new.cells[1].inputs[0].value = "Wrong patient"
    risks.table.add_button.click()
    assert visible(new.errors["severity"].value) == "choose a level from 1 to 5"
    assert visible(new.errors["likelihood"].value) == "choose a level from 1 to 5"


def test_score_and_band_shown_are_the_hazards(risks: RiskForm) -> None:
    for row, hazard in zip(risks.rows, risks.session.charter.risks, strict=True):
        shown = visible(row.risk.value)
        assert f"{hazard.score} of 25" in shown
        assert hazard.band in shown
        after = visible(row.residual_risk.value)
        assert f"{hazard.residual_score} of 25" in after
        assert str(hazard.residual_band) in after
    row = risks.rows[2]
    row.level_inputs[0].value = 5
    row.level_inputs[1].value = 5
    hazard = risks.session.charter.risks[2]
    assert (hazard.score, hazard.band) == (25, "unacceptable")
    assert visible(row.risk.value) == "Risk before the controls: 25 of 25, ✗ unacceptable"
    assert "codesign-risk-unacceptable" in row.risk.value


def test_monitoring_offers_exactly_the_charters_outcomes(risks: RiskForm) -> None:
    charter = risks.session.charter
    ids = [o.id for o in charter.outcomes]
    for row in [*risks.rows, risks.new]:
        assert list(row.outcome_boxes) == ids
        assert [b.description for b in row.outcome_boxes.values()] == [
            o.title for o in charter.outcomes
        ]
    row = risks.rows[0]
    row.outcome_boxes["under_triage"].value = True
    row.outcome_boxes["high_acuity_sensitivity"].value = True
    assert charter.risks[0].monitoring == ["under_triage", "high_acuity_sensitivity"]
    risks.save_bar.save_button.click()
    saved = load_charter(risks.session.path).charter.risks[0]
    assert saved.monitoring == ["under_triage", "high_acuity_sensitivity"]


def test_an_outcome_removed_elsewhere_is_flagged_on_the_hazard(workshop: Workshop) -> None:
    risks, outcomes = workshop.risks, workshop.outcomes
    assert isinstance(risks, RiskForm)
    risks.rows[0].outcome_boxes["usability"].value = True
    outcomes.table.remove(outcomes.table.rows[5])  # type: ignore[union-attr]
    row = risks.rows[0]
    assert "usability" in row.outcome_boxes  # still shown, ticked, with why it is wrong
    assert "no longer an outcome" in row.outcome_boxes["usability"].description
    assert "usability is no longer an outcome of the charter: untick it" in visible(
        row.errors["monitoring"].value
    )
    assert "usability" not in risks.new.outcome_boxes
    before = risks.session.path.read_bytes()
    risks.save_bar.save_button.click()
    assert risks.session.path.read_bytes() == before
    row.outcome_boxes["usability"].value = False
    assert row.errors["monitoring"].value == ""
    risks.save_bar.save_button.click()
    assert "Saved" in risks.save_bar.status_text


def test_the_facilitator_page_has_both_sections(triage: Path) -> None:
    from codesign.widgets.pages import facilitator_view

    page = facilitator_view(triage, live=False)
    html = " ".join(getattr(w, "description", "") for w in _walk(page) if hasattr(w, "description"))
    assert "What it is for" in html
    assert "Risks to patients" in html


def _walk(widget):  # type: ignore[no-untyped-def]
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_a_hazard_added_to_a_format_1_charter_saves_it_as_format_2(format_1: Workshop) -> None:
    assert format_1.session is not None
    original = format_1.session.path.read_text()
    risks = format_1.risks
    assert isinstance(risks, RiskForm)
    assert list(risks.new.outcome_boxes) == ["sens", "sex_gap"]
    risks.new.cells[1].inputs[0].value = "A septic patient is not flagged"
    risks.new.level_inputs[0].value = 5
    risks.new.level_inputs[1].value = 2
    risks.new.outcome_boxes["sens"].value = True
    risks.table.add_button.click()
    risks.save_bar.save_button.click()
    text = format_1.session.path.read_text()
    assert "schema_version: 2" in text
    assert comments(text) == comments(original)
    hazard = load_charter(format_1.session.path).charter.risks[0]
    assert (hazard.id, hazard.band, hazard.monitoring) == ("H1", "ALARP", ["sens"])
    assert not format_1.session.file.modified
    assert risks.save_bar.status_text.startswith("Saved to codesign.yaml")
