"""The outcome editor: edit, add, remove, reorder, inline errors, and what lands in the file."""

from __future__ import annotations

from pathlib import Path

from codesign.charter import load_charter
from codesign.widgets.outcomes import OutcomeEditor, suggest_id

from .conftest import comments, visible


def charter_text(editor: OutcomeEditor) -> str:
    return editor.session.path.read_text(encoding="utf-8")


def test_editing_a_target_and_saving_writes_only_that_line(outcomes: OutcomeEditor) -> None:
    before = charter_text(outcomes).splitlines()
    row = outcomes.rows[0]
    assert row.number_input.value == "0.05"
    assert row.op_input.value == "<="
    row.number_input.value = "0.03"
    assert outcomes.save_bar.status_text.startswith("Unsaved changes.")
    outcomes.save_bar.save_button.click()
    assert outcomes.save_bar.status_text.startswith("Saved to codesign.yaml at ")
    after = charter_text(outcomes).splitlines()
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert changed == [('    target: "<= 0.05"', '    target: "<= 0.03"')]


def test_metric_explanation_is_shown_under_the_row(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[1]
    assert (
        "Sensitivity: Of the patients who really had the condition, the share the tool caught"
        in (visible(row.notes.value))
    )
    row.metric_input.value = "specificity"
    assert "Of the patients without the condition" in visible(row.notes.value)


def test_invalid_target_is_shown_next_to_the_field_and_blocks_saving(
    outcomes: OutcomeEditor,
) -> None:
    before = charter_text(outcomes)
    row = outcomes.rows[0]
    row.number_input.value = "high"
    title = "Few patients triaged less urgent than they need"
    message = f'Target for “{title}”: type a number such as 0.95 or 95% (got "high").'
    assert message in visible(row.notes.value)
    assert row.number_input.layout.border  # outlined in red
    assert outcomes.save_bar.status_text.startswith("1 problem to fix before saving")
    outcomes.save_bar.save_button.click()
    # the row is named by its title, not as outcomes[0]
    assert f"Outcome “{title}”, target: {message}" in outcomes.save_bar.messages.text
    assert charter_text(outcomes) == before
    # the model kept the last valid target; fixing the entry clears the message
    assert str(outcomes.session.charter.outcomes[0].target) == "<= 0.05"
    row.number_input.value = "0.04"
    assert message not in visible(row.notes.value)
    assert not row.number_input.layout.border
    outcomes.save_bar.save_button.click()
    assert 'target: "<= 0.04"' in charter_text(outcomes)


def test_duplicate_id_is_shown_on_the_row_with_the_loaders_message(
    outcomes: OutcomeEditor,
) -> None:
    row = outcomes.rows[2]
    row.open_details()
    row.detail_inputs["id"].widget.value = "under_triage"
    shown = visible(row.detail_inputs["id"].error.value)
    assert shown == "duplicate 'under_triage', already used at outcomes[0].id"
    outcomes.save_bar.save_button.click()
    assert "not saved, 1 problem(s)" in outcomes.save_bar.messages.text
    assert "Outcome “Keep over-triage within what the department can absorb”, id: duplicate" in (
        outcomes.save_bar.messages.text
    )
    assert "id: over_triage" in charter_text(outcomes)


def test_params_follow_the_metric_and_are_checked_together(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[2]  # over_triage_rate: no options
    row.metric_input.value = "subgroup_gap"
    # a subgroup gap needs the metric and the column: the details open on the messages
    assert row.details is not None
    assert visible(row.detail_inputs["params.metric"].error.value) == "required option missing"
    assert visible(row.detail_inputs["params.by"].error.value) == "required option missing"
    row.detail_inputs["params.metric"].widget.value = "sensitivity"
    row.detail_inputs["params.by"].widget.value = "sex"
    row.detail_inputs["params.levels"].widget.value = "1, 2"
    assert row.detail_inputs["params.by"].error.value == ""
    row.detail_inputs["params.threshold"].widget.value = "high"
    assert "valid number" in visible(row.detail_inputs["params.threshold"].error.value)
    row.detail_inputs["params.threshold"].widget.value = ""
    outcomes.save_bar.save_button.click()
    saved = load_charter(outcomes.session.path).charter.outcome("over_triage")
    assert saved is not None
    assert saved.metric == "subgroup_gap"
    assert saved.params == {"metric": "sensitivity", "by": "sex", "levels": [1, 2]}


def test_switching_to_a_metric_without_options_drops_the_old_ones(
    outcomes: OutcomeEditor,
) -> None:
    row = outcomes.rows[1]  # sensitivity with levels [1, 2]
    row.metric_input.value = "sus"
    assert row.rejected == {}
    outcomes.save_bar.save_button.click()
    saved = load_charter(outcomes.session.path).charter.outcome("high_acuity_sensitivity")
    assert saved is not None
    assert (saved.metric, saved.params) == ("sus", {})


def test_hints_flag_targets_that_are_probably_not_meant(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[1]  # sensitivity >= 0.95
    row.number_input.value = "95"
    assert "Sensitivity goes from 0 to 1: a target of 95 is outside that range." in visible(
        row.notes.value
    )
    row.number_input.value = "0.95"
    row.op_input.value = "<="
    assert "For sensitivity, higher is better: the usual target is at least (>=)." in visible(
        row.notes.value
    )
    assert outcomes.session.state().status == "modified"  # hints do not block saving


def test_add_an_outcome_with_an_id_from_its_title(outcomes: OutcomeEditor) -> None:
    new = outcomes.new
    new.cells[0].widget.value = "Ranks sick patients above well ones"
    new.metric_input.value = "auroc"
    assert new.op_input.value == ">="  # higher is better for AUROC
    assert "Will be tracked as ranks_sick_patients_above_well" in visible(new.notes.value)
    outcomes.table.add_button.click()
    assert "Not added" not in outcomes.table.messages.text
    assert "This outcome is not added yet" in outcomes.table.messages.text
    assert "type a number such as 0.95" in visible(new.notes.value)
    new.number_input.value = "0.8"
    outcomes.table.add_button.click()
    assert outcomes.table.messages.text.startswith("Added;")
    assert new.cells[0].widget.value == ""  # ready for the next one
    assert len(outcomes.rows) == 8
    outcomes.save_bar.save_button.click()
    saved = load_charter(outcomes.session.path).charter.outcomes[-1]
    assert (saved.id, str(saved.target), saved.metric) == (
        "ranks_sick_patients_above_well",
        ">= 0.8",
        "auroc",
    )


def test_adding_a_duplicate_id_is_refused_in_the_new_row(outcomes: OutcomeEditor) -> None:
    new = outcomes.new
    new.cells[0].widget.value = "Again"
    new.open_details()
    new.detail_inputs["id"].widget.value = "usability"
    new.number_input.value = "0.7"
    outcomes.table.add_button.click()
    assert visible(new.detail_inputs["id"].error.value) == (
        "duplicate 'usability', already used at outcomes[5].id"
    )
    assert len(outcomes.session.charter.outcomes) == 7


def test_reorder_and_remove_keep_every_comment(outcomes: OutcomeEditor) -> None:
    original = charter_text(outcomes)
    rows = outcomes.rows
    first, second = rows[0], rows[1]
    first.controls[2].click()  # down: under_triage moves below high_acuity_sensitivity
    assert outcomes.rows[:2] == [second, first]
    assert outcomes.table.body.children[:2] == (second.box, first.box)
    removed = outcomes.rows[3]  # sex_gap
    removed.controls[-1].click()
    assert 'Removed "Equal sensitivity for women and men"' in outcomes.table.messages.text
    outcomes.save_bar.save_button.click()
    text = charter_text(outcomes)
    ids = [o.id for o in load_charter(outcomes.session.path).charter.outcomes]
    assert ids[:3] == ["high_acuity_sensitivity", "under_triage", "over_triage"]
    assert "sex_gap" not in ids
    assert comments(text) == comments(original)
    # the comments inside under_triage travelled with it
    assert text.index("# ACS Committee on Trauma") > text.index("id: high_acuity_sensitivity")
    assert text.index("# ACS Committee on Trauma") > text.index("id: under_triage")
    assert text.index("# ACS Committee on Trauma") < text.index("id: over_triage")


def test_undo_remove_puts_the_outcome_back_where_it_was(outcomes: OutcomeEditor) -> None:
    outcomes.rows[2].controls[-1].click()
    assert len(outcomes.rows) == 6
    outcomes.table.undo_button.click()
    assert [o.id for o in outcomes.session.charter.outcomes][2] == "over_triage"
    assert len(outcomes.rows) == 7
    assert outcomes.session.state().status == "saved"


def test_moving_past_the_ends_does_nothing(outcomes: OutcomeEditor) -> None:
    order = [o.id for o in outcomes.session.charter.outcomes]
    outcomes.rows[0].controls[1].click()  # up on the first row
    outcomes.rows[-1].controls[2].click()  # down on the last
    assert [o.id for o in outcomes.session.charter.outcomes] == order


def test_whitespace_is_trimmed_as_the_model_keeps_it(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[0]
    row.owner_input.value = "  B. Lefèvre  "
    assert row.owner_input.value == "B. Lefèvre"
    assert outcomes.session.charter.outcomes[0].owner == "B. Lefèvre"


def test_empty_title_is_refused(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[0]
    row.cells[0].widget.value = "   "
    assert "must not be empty" in visible(row.notes.value)
    assert outcomes.session.charter.outcomes[0].title.startswith("Few patients")


def test_suggest_id() -> None:
    assert suggest_id("Catch every high-acuity patient", set()) == "catch_every_high_acuity_patient"
    assert suggest_id("Few patients triaged less urgent than needed", set()) == (
        "few_patients_triaged_less_urgent"
    )
    assert suggest_id("Catch", {"catch", "catch_2"}) == "catch_3"
    assert suggest_id("30-day readmissions", set()) == "outcome_30_day_readmissions"
    assert suggest_id("!!!", set()) == "outcome"


def test_fallback_html_shows_the_outcomes_table(outcomes: OutcomeEditor) -> None:
    bundle = outcomes._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "&lt;= 0.05" in bundle["text/html"]


def test_a_fifty_outcome_table_builds_rows_once(triage: Path) -> None:
    """Editing a row touches that row only: the other rows' widgets stay the same objects."""
    from codesign.charter import Outcome
    from codesign.widgets import Workshop

    file = load_charter(triage)
    file.charter.outcomes.extend(
        Outcome(
            id=f"extra_{i}",
            title=f"Extra {i}",
            category="accuracy",
            metric="auroc",
            target=">= 0.8",
        )
        for i in range(43)
    )
    file.save()
    editor = Workshop.open(triage).outcomes
    assert isinstance(editor, OutcomeEditor)
    boxes = [row.box for row in editor.rows]
    editor.rows[10].number_input.value = "0.85"
    editor.save_bar.save_button.click()
    assert [row.box for row in editor.rows] == boxes
    assert load_charter(triage).charter.outcomes[10].target.number == "0.85"


def test_option_inputs_stay_the_same_widgets_while_typing(outcomes: OutcomeEditor) -> None:
    """Committing an option must not replace the input the person is about to tab into."""
    row = outcomes.rows[1]  # sensitivity, levels [1, 2]
    row.open_details()
    threshold = row.detail_inputs["params.threshold"].widget
    levels = row.detail_inputs["params.levels"].widget
    threshold.value = "0.3"
    row.metric_input.value = "specificity"  # the same options
    assert row.detail_inputs["params.threshold"].widget is threshold
    assert row.detail_inputs["params.levels"].widget is levels
    assert levels.value == "1, 2"
    outcome = outcomes.session.charter.outcomes[1]
    assert (outcome.metric, outcome.params) == ("specificity", {"threshold": 0.3, "levels": [1, 2]})
    assert "Options of specificity:" in visible(row.params_note.value)


def test_percentages_and_a_decimal_comma_are_read_for_proportions(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[0]  # under-triage rate, a proportion
    row.number_input.value = "4 %"
    assert str(outcomes.session.charter.outcomes[0].target) == "<= 0.04"
    row.number_input.value = "0,03"
    assert str(outcomes.session.charter.outcomes[0].target) == "<= 0.03"


def test_a_target_off_the_scale_gets_the_likely_intent(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[0]
    row.number_input.value = "5"
    assert "did you mean 5% (0.05)?" in visible(row.notes.value)
    assert str(outcomes.session.charter.outcomes[0].target) == "<= 0.05"  # unchanged


def test_metric_options_are_explained_in_words(outcomes: OutcomeEditor) -> None:
    row = outcomes.rows[1]  # catch every high-acuity patient: sensitivity on triage levels
    row.open_details()
    labels = {item.widget.description for item in row.detail_inputs.values()}
    assert "Alert when the risk score is at least" in labels
    assert "Triage levels counted as high acuity" in labels


def test_each_input_of_a_row_is_named_for_its_outcome(outcomes: OutcomeEditor) -> None:
    """Its label (linked to the input: its accessible name) and its tooltip say it: a screen
    reader, and get_by_label, tell the rows apart."""
    row = outcomes.table.rows[0]
    title = outcomes.session.charter.outcomes[0].title
    inputs = [widget for cell in row.cells for widget in cell.inputs]
    assert [widget.tooltip for widget in inputs] == [widget.description for widget in inputs]
    assert all("codesign-named" in widget._dom_classes for widget in inputs)
    names = [widget.description for widget in inputs]
    assert names == [
        f"Outcome for: {title}",
        f"Category for: {title}",
        f"Measured by for: {title}",
        f"Target for: {title} (at least or at most)",
        f"Target for: {title} (number)",
        f"Owner for: {title}",
    ]
    draft = [widget.description for cell in outcomes.table.draft.cells for widget in cell.inputs]
    assert draft[0] == "Outcome of a new outcome"
    assert draft[4] == "Target of a new outcome (number)"
