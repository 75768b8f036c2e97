"""Saving from the forms: one save for every form, conflicts shown and recovered, errors shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesign.charter import CharterFile, load_charter
from codesign.exceptions import CharterError, ConflictError
from codesign.widgets import CharterSession, Workshop
from codesign.widgets.decision import DecisionForm
from codesign.widgets.outcomes import OutcomeEditor
from codesign.widgets.use_case import UseCaseForm

from .conftest import comments, visible


def test_any_save_button_saves_every_form(
    workshop: Workshop, outcomes: OutcomeEditor, use_case: UseCaseForm
) -> None:
    use_case.input("title").value = "Triage helper"
    outcomes.rows[0].number_input.value = "0.04"
    assert use_case.save_bar.status_text.startswith("Unsaved changes.")
    outcomes.save_bar.save_button.click()
    saved = load_charter(workshop.session.path).charter  # type: ignore[union-attr]
    assert saved.use_case.title == "Triage helper"
    assert str(saved.outcomes[0].target) == "<= 0.04"
    assert use_case.save_bar.status_text.startswith("Saved to codesign.yaml at ")


def test_file_changed_by_another_kernel_is_a_conflict_that_loses_nothing(
    triage: Path, outcomes: OutcomeEditor, use_case: UseCaseForm
) -> None:
    other = load_charter(triage)  # another notebook on the same project
    other.charter.outcomes[1].target = ">= 0.97"
    other.save()
    theirs = (triage / "codesign.yaml").read_bytes()

    outcomes.rows[0].number_input.value = "0.04"
    outcomes.save_bar.save_button.click()
    bar = outcomes.save_bar
    assert bar.status_text.startswith("Not saved: codesign.yaml was changed elsewhere")
    assert bar.conflict.layout.display != "none"
    assert 'outcomes[high_acuity_sensitivity].target: ">= 0.95" → ">= 0.97"' in visible(
        bar.conflict_text.value
    )
    assert use_case.save_bar.conflict.layout.display != "none"  # every bar shows it
    assert (triage / "codesign.yaml").read_bytes() == theirs  # their work is intact
    assert outcomes.rows[0].number_input.value == "0.04"  # and mine is still in the form

    bar.keep_button.click()
    assert bar.conflict.layout.display == "none"
    assert "re-applied your changes" in bar.status_text
    assert outcomes.rows[1].number_input.value == "0.97"  # their change, now shown
    assert outcomes.rows[0].number_input.value == "0.04"  # my change, re-applied
    bar.save_button.click()
    saved = load_charter(triage).charter
    assert [str(o.target) for o in saved.outcomes[:2]] == ["<= 0.04", ">= 0.97"]


def test_text_editor_change_is_a_conflict_too(triage: Path, outcomes: OutcomeEditor) -> None:
    path = triage / "codesign.yaml"
    original = path.read_text()
    path.write_text(original.replace("title: Nurse triage assistant", "title: Edited by hand"))
    outcomes.rows[2].controls[-1].click()  # remove over_triage
    outcomes.save_bar.save_button.click()
    assert 'use_case.title: "Nurse triage assistant" → "Edited by hand"' in visible(
        outcomes.save_bar.conflict_text.value
    )
    assert "Edited by hand" in path.read_text()
    assert "id: over_triage" in path.read_text()
    outcomes.save_bar.keep_button.click()
    outcomes.save_bar.save_button.click()
    text = path.read_text()
    assert "title: Edited by hand" in text
    assert "id: over_triage" not in text
    assert comments(text) == [
        c for c in comments(original) if "ACS-COT (2014) tolerates" not in c
    ]  # the removed outcome's own comment went with it; every other stayed


def test_both_changed_the_same_value_mine_is_kept_and_said(
    triage: Path, outcomes: OutcomeEditor
) -> None:
    other = load_charter(triage)
    other.charter.outcomes[0].target = "<= 0.02"
    other.save()
    outcomes.rows[0].number_input.value = "0.04"
    outcomes.save_bar.save_button.click()
    outcomes.save_bar.keep_button.click()
    assert "Both you and the other version changed these; yours were kept:" in (
        outcomes.save_bar.messages.text
    )
    assert 'outcomes[under_triage].target: kept yours ("<= 0.04"); the other had "<= 0.02"' in (
        outcomes.save_bar.messages.text
    )
    assert outcomes.rows[0].number_input.value == "0.04"


def test_discard_takes_their_version(triage: Path, outcomes: OutcomeEditor) -> None:
    other = load_charter(triage)
    other.charter.outcomes.pop()
    other.save()
    outcomes.rows[0].number_input.value = "0.04"
    outcomes.save_bar.save_button.click()
    outcomes.save_bar.discard_button.click()
    assert len(outcomes.rows) == 6
    assert outcomes.rows[0].number_input.value == "0.05"
    assert "your unsaved changes were discarded" in outcomes.save_bar.status_text
    assert outcomes.session.state().status == "saved"


def test_reload_refuses_while_an_entry_is_not_valid(triage: Path, outcomes: OutcomeEditor) -> None:
    outcomes.rows[0].number_input.value = "low"
    outcomes.save_bar.reload_button.click()
    assert "not reloaded: 1 entry in red not part of the charter yet" in (
        outcomes.save_bar.messages.text
    )
    assert outcomes.rows[0].number_input.value == "low"


def test_reload_shows_changes_made_elsewhere(triage: Path, use_case: UseCaseForm) -> None:
    other = load_charter(triage)
    other.charter.use_case.stage = "pilot"
    other.save()
    use_case.save_bar.reload_button.click()
    assert use_case.input("stage").value == "pilot"
    assert use_case.save_bar.status_text == "Reloaded the version on disk."


def test_deleted_file_is_reported_in_the_form(triage: Path, outcomes: OutcomeEditor) -> None:
    (triage / "codesign.yaml").unlink()
    outcomes.save_bar.save_button.click()
    assert "was deleted or moved since it was loaded" in outcomes.save_bar.status_text
    assert not (triage / "codesign.yaml").exists()


def test_unexpected_error_in_a_callback_is_shown_not_swallowed(
    outcomes: OutcomeEditor, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_self: CharterFile) -> str:
        raise RuntimeError("disk controller on fire")

    monkeypatch.setattr(CharterFile, "save", broken)
    outcomes.save_bar.save_button.click()
    shown = outcomes.save_bar.messages
    assert "Something went wrong while saving: RuntimeError: disk controller on fire" in shown.text
    assert shown.output.layout.display != "none"
    assert "Traceback" in shown.output.outputs[0]["text"]


def test_session_save_and_conflict_directly(triage: Path) -> None:
    session = CharterSession.open(triage)
    session.charter.use_case.title = "Renamed"
    session.edited()
    assert session.state().status == "modified"
    other = CharterFile.from_text(
        (triage / "codesign.yaml").read_text(), triage / "codesign.yaml", new=False
    )
    other.charter.use_case.site = "Elsewhere"
    other.save()
    with pytest.raises(ConflictError) as caught:
        session.save()
    assert caught.value.changes == ('use_case.site: "Example University Hospital" → "Elsewhere"',)
    assert session.state().status == "conflict"
    assert session.reload() == []
    session.save()
    saved = load_charter(triage).charter.use_case
    assert (saved.title, saved.site) == ("Renamed", "Elsewhere")


def test_session_refuses_an_invalid_charter(triage: Path) -> None:
    session = CharterSession.open(triage)
    session.charter.outcomes.append(session.charter.outcomes[0])
    session.edited()
    assert [i.loc for i in session.issues] == ["outcomes[7].id"]
    before = (triage / "codesign.yaml").read_bytes()
    with pytest.raises(CharterError, match="not saved, 1 problem"):
        session.save()
    assert (triage / "codesign.yaml").read_bytes() == before


def test_a_charter_that_cannot_load_is_shown_not_raised(triage: Path) -> None:
    path = triage / "codesign.yaml"
    path.write_text(path.read_text().replace('target: ">= 0.95"', "target: high"))
    workshop = Workshop.open(triage)
    assert workshop.session is None
    assert str(workshop).startswith("The charter cannot be loaded:")
    form = workshop.outcomes
    assert not isinstance(form, OutcomeEditor)
    text = visible(form.widget.value)
    assert (
        'outcomes[1].target: expected an operator and a number like ">= 0.95", got "high"' in text
    )
    assert "codesign.yaml:39:" in text
    assert "run the notebook again" in text
    assert isinstance(Workshop.open(triage.parent / "nowhere").decision, type(form))


def test_from_preset_copies_the_preset_into_a_new_folder(tmp_path: Path) -> None:
    workshop = Workshop.from_preset("imaging", tmp_path / "try")
    assert workshop.session is not None
    assert (tmp_path / "try" / "codesign.yaml").is_file()
    assert isinstance(workshop.decision, DecisionForm)
    with pytest.raises(ConflictError, match="already exists"):
        Workshop.from_preset("imaging", tmp_path / "try")  # never overwrites


def test_file_broken_elsewhere_is_explained_and_my_changes_wait(
    triage: Path, outcomes: OutcomeEditor
) -> None:
    path = triage / "codesign.yaml"
    good = path.read_text()
    path.write_text(good.replace('target: ">= 0.95"', "target: very high"))
    outcomes.rows[0].number_input.value = "0.04"
    bar = outcomes.save_bar
    bar.save_button.click()
    assert "the file on disk is not a valid charter any more" in visible(bar.conflict_text.value)
    bar.keep_button.click()
    assert "invalid charter, 1 problem(s)" in bar.messages.text
    assert (
        "Outcome “Catch every high-acuity patient (levels 1 and 2)”, target: expected an operator"
        in (bar.messages.text)
    )
    assert outcomes.rows[0].number_input.value == "0.04"  # still here
    path.write_text(good.replace("stage: co-design", "stage: pilot"))  # fixed, and changed
    bar.keep_button.click()
    bar.save_button.click()
    saved = load_charter(triage).charter
    assert (saved.use_case.stage, str(saved.outcomes[0].target)) == ("pilot", "<= 0.04")
