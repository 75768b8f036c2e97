"""The use case and stakeholders form."""

from __future__ import annotations

from codesign.charter import load_charter
from codesign.widgets.use_case import UseCaseForm

from .conftest import comments, visible


def saved(form: UseCaseForm):  # type: ignore[no-untyped-def]
    return load_charter(form.session.path).charter


def test_fields_show_the_charter(use_case: UseCaseForm) -> None:
    assert use_case.input("title").value == "Nurse triage assistant"
    assert use_case.input("intended_users").value == "triage nurse"
    assert use_case.input("stage").value == "co-design"
    assert use_case.input("site").value == "Example University Hospital"


def test_edits_are_saved_and_empty_optional_fields_removed(use_case: UseCaseForm) -> None:
    original = use_case.session.path.read_text()
    use_case.input("intended_users").value = "triage nurse,  charge nurse , "
    use_case.input("stage").value = "pilot"
    use_case.input("stage_reason").value = "Pilot approved by the medical board"
    use_case.input("partner").value = ""
    assert use_case.input("intended_users").value == "triage nurse, charge nurse"
    use_case.save_bar.save_button.click()
    charter = saved(use_case)
    assert charter.use_case.intended_users == ["triage nurse", "charge nurse"]
    assert charter.use_case.stage == "pilot"
    assert charter.use_case.partner is None
    text = use_case.session.path.read_text()
    assert "partner: Example Health AI" not in text
    assert "intended_users: [triage nurse, charge nurse]" in text
    assert comments(text) == comments(original)


def test_a_move_to_pilot_needs_a_reason_or_a_go_decision(use_case: UseCaseForm) -> None:
    before = use_case.session.path.read_bytes()
    use_case.input("stage").value = "pilot"
    error = use_case.fields.inputs["stage"].error
    assert "go decision" in visible(error.value)
    assert "Reason for the stage" in visible(error.value)
    use_case.save_bar.save_button.click()
    assert use_case.session.path.read_bytes() == before
    assert "not saved" in use_case.save_bar.messages.text
    use_case.input("stage_reason").value = "Pilot approved by the medical board on 2 October"
    assert error.value == ""
    use_case.save_bar.save_button.click()
    use_case_saved = saved(use_case).use_case
    assert (use_case_saved.stage, use_case_saved.stage_reason) == (
        "pilot",
        "Pilot approved by the medical board on 2 October",
    )


def test_a_stage_already_on_disk_does_not_block_other_edits(use_case: UseCaseForm) -> None:
    charter = use_case.session.charter
    charter.use_case.stage = "pilot"  # type: ignore[assignment]
    use_case.session.saved_stage = charter.use_case.stage  # as if read so from the file
    use_case.input("setting").value = "Paediatric emergency department"
    use_case.save_bar.save_button.click()
    assert saved(use_case).use_case.setting == "Paediatric emergency department"


def test_empty_title_is_shown_next_to_the_field(use_case: UseCaseForm) -> None:
    use_case.input("title").value = "  "
    error = use_case.fields.inputs["title"].error
    assert visible(error.value) == "must not be empty"
    assert error.layout.display != "none"
    assert use_case.session.charter.use_case.title == "Nurse triage assistant"
    use_case.save_bar.save_button.click()
    assert "use case, title: must not be empty" in use_case.save_bar.messages.text
    use_case.input("title").value = "Triage"
    assert error.value == ""
    assert error.layout.display == "none"


def test_control_characters_are_refused(use_case: UseCaseForm) -> None:
    use_case.input("setting").value = "ED\x07"
    assert "invisible control character (U+0007)" in visible(
        use_case.fields.inputs["setting"].error.value
    )


def test_add_and_remove_stakeholders(use_case: UseCaseForm) -> None:
    table = use_case.stakeholders
    new = table.draft
    new.cells[0].widget.value = "E. Dubois"
    new.cells[1].widget.value = "charge nurse"
    table.add_button.click()
    assert table.messages.text.startswith("Added;")
    assert len(table.rows) == 5
    table.rows[3].cells[2].widget.value = "internal"  # D. Rossi moves to the hospital side
    table.rows[2].controls[-1].click()  # remove C. Nguyen
    use_case.save_bar.save_button.click()
    people = saved(use_case).stakeholders
    assert [(p.name, p.side.value) for p in people] == [
        ("Dr A. Martin", "internal"),
        ("B. Lefèvre", "internal"),
        ("D. Rossi", "internal"),
        ("E. Dubois", "internal"),
    ]
    assert "  - {name: E. Dubois, role: charge nurse}\n" in use_case.session.path.read_text()


def test_a_stakeholder_needs_a_name_and_a_role(use_case: UseCaseForm) -> None:
    table = use_case.stakeholders
    table.draft.cells[0].widget.value = "F. Martin"
    table.add_button.click()
    assert "This stakeholder is not added yet" in table.messages.text
    assert visible(table.draft.notes.value) == "must not be empty"  # under the role
    assert len(use_case.session.charter.stakeholders) == 4
    table.rows[0].cells[1].widget.value = ""
    assert "must not be empty" in visible(table.rows[0].notes.value)


def test_fallback_html_shows_title_and_stakeholders(use_case: UseCaseForm) -> None:
    html = use_case._repr_mimebundle_()["text/html"]
    assert "<b>Nurse triage assistant</b> (co-design)" in html
    assert ">Dr A. Martin</td>" in html
