"""Feedback forms: SUS, trust, time-motion and reviews, saved as records the tracking reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from traitlets import TraitError

from codesign.charter import load_charter
from codesign.charter.feedback import FeedbackKind, read_feedback
from codesign.project import Project
from codesign.widgets import FeedbackForms

from .conftest import visible

BROOKE = (4, 2, 4, 1, 4, 2, 3, 1, 4, 2)  # Brooke's worked example: 77.5


@pytest.fixture
def feedback(triage: Path) -> FeedbackForms:
    project = Project.find(triage)
    return FeedbackForms(project, load_charter(triage).charter, iterations=["v1", "v2"])


def records(forms: FeedbackForms) -> list:  # type: ignore[type-arg]
    return read_feedback(forms.path)


def test_sus_response_is_scored_and_saved(feedback: FeedbackForms) -> None:
    feedback.role.widget.value = "triage nurse"
    feedback.iteration.widget.value = "v2"
    for answer, value in zip(feedback.sus.answers, BROOKE[:9], strict=False):
        answer.value = value
    assert "9 of 10 answered" in visible(feedback.sus.score.value)
    feedback.sus_save.click()
    assert "Not saved: answer every statement first (1 left: 10)." in feedback.messages.text
    assert not feedback.path.exists()
    feedback.sus.answers[9].value = 2
    assert "SUS score: 77.5 / 100" in visible(feedback.sus.score.value)
    feedback.sus_save.click()
    assert feedback.messages.text == (
        "Saved: usability score 77.5 (triage nurse). feedback/records.csv now holds 1 responses."
    )
    (record,) = records(feedback)
    assert (record.kind, record.sus, record.iteration) == (FeedbackKind.SUS, BROOKE, "v2")
    assert record.sus_score() == 77.5
    assert all(answer.value is None for answer in feedback.sus.answers)  # ready for the next
    assert "SUS 77.5" in visible(feedback.responses.value)


def test_trust_time_motion_and_review_records(feedback: FeedbackForms) -> None:
    feedback.role.widget.value = "triage nurse"
    feedback.trust.answers[0].value = 4
    feedback.trust.answers[3].value = 3
    assert "Mean trust: 3.5 / 5 (2 of 5 answered)" in visible(feedback.trust.score.value)
    feedback.trust_save.click()
    feedback.task.widget.value = "triage of one patient"
    feedback.minutes_with.widget.value = "3,5"  # a French decimal comma
    feedback.minutes_without.widget.value = "5"
    assert "Saves 1.5 minutes on this task." in visible(feedback.saved_minutes.value)
    feedback.timing_save.click()
    assert feedback.minutes_with.widget.value == ""
    assert feedback.task.widget.options == ("triage of one patient",)
    feedback.accurate.widget.value = False
    feedback.review_save.click()
    kinds = [(r.kind, r.trust, r.minutes_saved(), r.accurate) for r in records(feedback)]
    assert kinds == [
        (FeedbackKind.TRUST, {"trust_reliable": 4, "trust_safe": 3}, None, None),
        (FeedbackKind.TIME_MOTION, None, 1.5, None),
        (FeedbackKind.REVIEW, None, None, False),
    ]
    assert feedback.accurate.widget.value is None


def test_bad_entries_are_shown_next_to_their_field(feedback: FeedbackForms) -> None:
    feedback.task.widget.value = "triage"
    feedback.minutes_with.widget.value = "three"
    feedback.minutes_without.widget.value = "2000"
    feedback.timing_save.click()
    assert feedback.messages.text.startswith("Not saved: see the entries in red.")
    assert visible(feedback.role.error.value) == "Choose your role in the list."
    assert 'expected a number, got "three"' in visible(feedback.minutes_with.error.value)
    assert "less than or equal to 1440" in visible(feedback.minutes_without.error.value)
    assert not feedback.path.exists()
    feedback.role.widget.value = "triage nurse"
    feedback.minutes_with.widget.value = "3"
    feedback.minutes_without.widget.value = "4"
    feedback.timing_save.click()
    assert feedback.role.error.value == ""
    assert len(records(feedback)) == 1


def test_a_name_cannot_be_given_as_a_role_nor_an_iteration_typed(feedback: FeedbackForms) -> None:
    """Closed lists: "Marie Dupont, infirmière" cannot be typed where a role goes."""
    with pytest.raises(TraitError):
        feedback.role.widget.value = "Marie Dupont, infirmière"
    with pytest.raises(TraitError):
        feedback.iteration.widget.value = "v3 vendor"
    assert feedback.iteration.widget.options == (
        ("not about one iteration", None),
        ("v2", "v2"),
        ("v1", "v1"),
    )


def test_a_name_in_a_task_is_refused(feedback: FeedbackForms) -> None:
    feedback.role.widget.value = "triage nurse"
    feedback.task.widget.value = "triage with Dr A. Martin"
    feedback.minutes_with.widget.value = "3"
    feedback.minutes_without.widget.value = "4"
    feedback.timing_save.click()
    assert "not a person" in visible(feedback.task.error.value)
    assert not feedback.path.exists()


def test_roles_offered_come_from_the_charter(feedback: FeedbackForms) -> None:
    assert [label for label, _ in feedback.role.widget.options[1:3]] == [
        "triage nurse",
        "clinical lead",
    ]


def test_a_participant_s_role_is_fixed(triage: Path) -> None:
    forms = FeedbackForms(
        Project.find(triage),
        load_charter(triage).charter,
        respondent_role="triage nurse",
        iterations=[],
    )
    assert forms.role.widget.value == "triage nurse"
    assert forms.role.widget.disabled


def test_a_review_needs_an_answer(feedback: FeedbackForms) -> None:
    feedback.role.widget.value = "head triage nurse"
    feedback.review_save.click()
    assert "a review needs accurate (true or false)" in feedback.messages.text


def test_corrupt_feedback_file_is_reported_and_the_answers_kept(feedback: FeedbackForms) -> None:
    feedback.path.parent.mkdir()
    feedback.path.write_text("kind,respondent_role,sus_1\nsus,nurse,9\n")
    feedback.role.widget.value = "triage nurse"
    feedback.accurate.widget.value = True
    feedback.review_save.click()
    assert "records.csv:2:" in feedback.messages.text
    assert feedback.accurate.widget.value is True  # nothing lost
    assert feedback.path.read_text() == "kind,respondent_role,sus_1\nsus,nurse,9\n"


def test_no_free_text_comment_anywhere(feedback: FeedbackForms) -> None:
    import ipywidgets as ipw

    def texts(widget: ipw.Widget) -> list[ipw.Widget]:
        found = [widget] if isinstance(widget, ipw.Text | ipw.Textarea) else []
        for child in getattr(widget, "children", ()):
            found += texts(child)
        return found

    for title in feedback.tabs.builders:  # every section, built when opened
        feedback.tabs.open(title)
    names = {w.description for section in feedback.tabs.built.values() for w in texts(section)}
    names |= {w.description for w in texts(feedback.widget)}
    # the task (checked for names) and two numbers; role, iteration and session are lists
    assert names == {"Task", "With the tool", "Without it"}
    assert not any(isinstance(w, ipw.Textarea) for w in texts(feedback.widget))


def test_fallback_html_lists_the_responses(feedback: FeedbackForms) -> None:
    assert "No feedback recorded yet." in feedback._repr_mimebundle_()["text/html"]
