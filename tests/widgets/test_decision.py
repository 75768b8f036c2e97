"""The build / buy / partner decision: weighted criteria, the result and its chart."""

from __future__ import annotations

from pathlib import Path

from codesign.charter import load_charter
from codesign.charter.model import DEFAULT_CRITERIA
from codesign.widgets import Workshop
from codesign.widgets.decision import DecisionForm, chart_png

from .conftest import visible


def test_scores_update_the_weighted_result_and_the_chart(decision: DecisionForm) -> None:
    # partner: (3*4 + 2*4 + 2*3 + 3*4 + 2*4 + 1*3) / 13 = 3.77, from the preset's scores
    assert "partner 3.77" in visible(decision.result.value)
    chart = bytes(decision.chart.value)
    assert chart.startswith(b"\x89PNG")
    time_to_value = decision.criteria.rows[0]
    partner = time_to_value.cells[4].widget
    assert partner.value == 4.0
    partner.value = 1.0
    assert "partner 3.08" in visible(decision.result.value)  # 40 / 13
    assert bytes(decision.chart.value) != chart
    decision.save_bar.save_button.click()
    text = decision.session.path.read_text()
    assert "- {name: time to value, weight: 3, build: 2, buy: 5, partner: 1}" in text
    scores = load_charter(decision.session.path).charter.decision.weighted_scores()
    assert round(scores["partner"] or 0, 2) == 3.08


def test_rename_reweight_and_unscore_a_criterion(decision: DecisionForm) -> None:
    cost = decision.criteria.rows[-1]
    cost.cells[0].widget.value = "total cost over 5 years"
    cost.cells[1].widget.value = 2.5
    cost.cells[2].widget.value = 0.0  # "–": not scored for build
    decision.save_bar.save_button.click()
    criterion = load_charter(decision.session.path).charter.decision.criteria[-1]
    assert criterion.name == "total cost over 5 years"
    assert (criterion.weight, criterion.build, criterion.buy) == (2.5, None, 3.0)


def test_negative_weight_is_shown_inline(decision: DecisionForm) -> None:
    row = decision.criteria.rows[0]
    row.cells[1].widget.value = -1.0
    assert "expected greater than or equal to 0, got -1.0" in visible(row.notes.value)
    assert decision.session.charter.decision.criteria[0].weight == 3.0


def test_duplicate_criterion_is_shown_on_its_row(decision: DecisionForm) -> None:
    row = decision.criteria.rows[1]
    row.cells[0].widget.value = "Cost"
    assert "duplicate 'cost', already used at criteria[1].name" in visible(
        decision.criteria.rows[5].notes.value
    )


def test_choice_and_rationale(decision: DecisionForm) -> None:
    decision.fields.inputs["choice"].widget.value = "buy"
    decision.fields.inputs["rationale"].widget.value = ""
    assert "yes" in visible(decision.result.value)
    decision.save_bar.save_button.click()
    saved = load_charter(decision.session.path).charter.decision
    assert (saved.choice, saved.rationale) == ("buy", None)
    decision.fields.inputs["choice"].widget.value = ""
    decision.save_bar.save_button.click()
    assert load_charter(decision.session.path).charter.decision.choice is None


def test_start_from_the_usual_criteria(tmp_path: Path) -> None:
    workshop = Workshop.from_preset("blank", tmp_path)
    form = workshop.decision
    assert isinstance(form, DecisionForm)
    assert "not scored" in visible(form.result.value)
    form.defaults_button.click()
    assert [r.cells[0].widget.value for r in form.criteria.rows] == list(DEFAULT_CRITERIA)
    form.criteria.rows[0].cells[3].widget.value = 4.0  # buy, time to value
    assert "4" in visible(form.result.value)
    form.defaults_button.click()
    assert form.criteria.messages.text == "The usual criteria are all there."
    form.save_bar.save_button.click()
    criteria = load_charter(tmp_path).charter.decision.criteria
    assert [c.name for c in criteria] == list(DEFAULT_CRITERIA)
    assert criteria[0].buy == 4.0


def test_chart_marks_the_choice(decision: DecisionForm) -> None:
    charter = decision.session.charter
    with_choice = chart_png(charter.decision)
    charter.decision.choice = None
    assert chart_png(charter.decision) != with_choice
