"""Sign-off: recorded with the content hash and time, saved at once, outdated once changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from codesign.charter import load_charter
from codesign.widgets.outcomes import OutcomeEditor
from codesign.widgets.signoff import SignOffForm

from .conftest import visible


def test_sign_off_records_hash_and_time_and_saves(signoff: SignOffForm) -> None:
    assert "Not signed off yet." in visible(signoff.table.value)
    signoff.name.widget.value = "Dr A. Martin"
    assert signoff.role.widget.value == "clinical lead"  # filled from the stakeholders
    content = signoff.session.charter.content_sha256()
    before = dt.datetime.now(dt.UTC).replace(microsecond=0)
    signoff.sign_button.click()
    assert signoff.messages.text == "Signed off by Dr A. Martin (clinical lead), saved."
    saved = load_charter(signoff.session.path).charter
    (record,) = saved.signoffs
    assert (record.name, record.role, record.charter_sha256) == (
        "Dr A. Martin",
        "clinical lead",
        content,
    )
    assert before <= record.signed_at <= dt.datetime.now(dt.UTC)
    assert saved.valid_signoffs() == [record]
    assert "Dr A. Martin clinical lead" in visible(signoff.table.value)
    assert "valid" in visible(signoff.table.value)
    assert "1 valid sign-off(s)" in visible(signoff.version.value)


def test_a_saved_change_outdates_the_sign_off_an_unsaved_one_does_not(
    signoff: SignOffForm, outcomes: OutcomeEditor, triage: Path
) -> None:
    signoff.name.widget.value = "Dr A. Martin"
    signoff.sign_button.click()
    outcomes.rows[0].number_input.value = "0.04"
    # an unsaved edit outdates nothing: sign-offs are judged on the saved version
    assert "1 valid sign-off(s)" in visible(signoff.version.value)
    assert "Unsaved changes" in visible(signoff.version.value)
    assert "outdated" not in visible(signoff.table.value)
    outcomes.save_bar.save_button.click()
    assert "outdated: the charter changed since" in visible(signoff.table.value)
    assert "0 valid sign-off(s), 1 outdated" in visible(signoff.version.value)
    saved = load_charter(triage).charter
    assert saved.valid_signoffs() == []
    assert len(saved.outdated_signoffs()) == 1
    signoff.sign_button.click()  # sign the new version
    saved = load_charter(triage).charter
    assert len(saved.valid_signoffs()) == 1
    assert len(saved.signoffs) == 2


def test_signing_twice_the_same_version_is_not_recorded_twice(signoff: SignOffForm) -> None:
    signoff.name.widget.value = "Dr A. Martin"
    signoff.sign_button.click()
    signoff.sign_button.click()
    assert signoff.messages.text == (
        "Dr A. Martin (clinical lead) has already signed off this version."
    )
    assert len(load_charter(signoff.session.path).charter.signoffs) == 1


def test_a_sign_off_needs_a_name(signoff: SignOffForm) -> None:
    signoff.role.widget.value = "clinical lead"
    signoff.sign_button.click()
    assert visible(signoff.name.error.value) == "must not be empty"
    assert signoff.session.charter.signoffs == []
    assert load_charter(signoff.session.path).charter.signoffs == []


def test_no_sign_off_while_the_forms_hold_a_problem(
    signoff: SignOffForm, outcomes: OutcomeEditor
) -> None:
    outcomes.rows[0].number_input.value = "lots"
    signoff.name.widget.value = "Dr A. Martin"
    signoff.sign_button.click()
    assert "Not signed: the charter has problems to fix first" in signoff.messages.text
    assert "outcomes[0].target" in signoff.messages.text
    assert signoff.session.charter.signoffs == []


def test_sign_off_that_conflicts_is_kept_in_the_form(signoff: SignOffForm, triage: Path) -> None:
    other = load_charter(triage)
    other.charter.use_case.stage = "pilot"
    other.save()
    signoff.name.widget.value = "Dr A. Martin"
    signoff.sign_button.click()
    assert "Signed in the form but not saved: the file changed elsewhere" in (signoff.messages.text)
    assert len(signoff.session.charter.signoffs) == 1
    signoff.save_bar.keep_button.click()
    # their change (the stage) altered the content: the re-applied sign-off is outdated
    assert "outdated" in visible(signoff.table.value)
    signoff.save_bar.save_button.click()
    saved = load_charter(triage).charter
    assert saved.use_case.stage == "pilot"
    assert len(saved.outdated_signoffs()) == 1
