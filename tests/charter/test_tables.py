"""The charter as tables: HTML in Jupyter, text in a terminal, the same wording everywhere."""

from __future__ import annotations

import datetime as dt

from codesign.charter import parse_charter, preset_text
from codesign.charter.feedback import FeedbackRecord
from codesign.charter.tables import (
    Table,
    data_contract_table,
    decision_table,
    feedback_table,
    outcomes_table,
    signoffs_table,
    stakeholders_table,
)


def test_html_escapes_every_cell_and_header() -> None:
    table = Table(("a<b",), (("<script>alert(1)</script>",),))
    html = table._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "a&lt;b" in html


def test_empty_table_says_so() -> None:
    table = Table(("a",), (), "Nothing & nobody.")
    assert table._repr_html_() == "<p><em>Nothing &amp; nobody.</em></p>"
    assert str(table) == "Nothing & nobody."
    assert table.records() == []


def test_text_form_is_aligned() -> None:
    table = Table(("id", "target"), (("usability", ">= 70"), ("x", "<= 0.05")))
    assert str(table).splitlines() == [
        "id         target",
        "---------  -------",
        "usability  >= 70",
        "x          <= 0.05",
    ]


def test_outcomes_show_metric_meaning_and_target() -> None:
    charter = parse_charter(preset_text("triage"))
    records = outcomes_table(charter).records()
    assert len(records) == len(charter.outcomes)
    usability = next(r for r in records if r["id"] == "usability")
    assert usability["target"] == ">= 70"
    assert usability["metric"] == "sus"
    assert "usability" in usability["measures"].lower()


def test_data_contract_shows_effective_phi_and_completeness() -> None:
    charter = parse_charter(preset_text("triage"))
    rows = {r["column"]: r for r in data_contract_table(charter.data_contract).records()}
    assert rows["nurse_note"]["PHI"] == "scan"
    assert rows["nir"]["PHI"] == "forbidden"
    assert rows["age"]["range"] == "18 to 120"
    assert rows["age"]["min. completeness"] == "95%"
    assert rows["heart_rate"]["min. completeness"] == "90%"
    assert rows["pain_score"]["min. completeness"] == ""
    assert rows["sex"]["allowed"] == "F, M"


def test_decision_scores_and_choice() -> None:
    charter = parse_charter(preset_text("triage"))
    rows = {r["option"]: r for r in decision_table(charter.decision).records()}
    scores = charter.decision.weighted_scores()
    assert rows["partner"]["chosen"] == "yes"
    assert rows["build"]["chosen"] == ""
    assert rows["partner"]["weighted score (1-5)"] == f"{scores[charter.decision.choice]:.2f}"
    blank = parse_charter(preset_text("blank"))
    assert {r["weighted score (1-5)"] for r in decision_table(blank.decision).records()} == {
        "not scored"
    }


def test_stakeholders_and_signoffs() -> None:
    charter = parse_charter(preset_text("triage"))
    assert stakeholders_table(charter).records()[0]["role"] == "clinical lead"
    assert str(signoffs_table(charter)) == "Not signed off yet."
    charter.sign("Dr A. Martin", "clinical lead", at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    assert signoffs_table(charter).records()[0]["status"] == "valid"
    charter.outcomes[0].target = "<= 0.04"
    assert signoffs_table(charter).records()[0]["status"].startswith("outdated")


def test_feedback_rows_carry_each_score() -> None:
    records = [
        FeedbackRecord(kind="sus", respondent_role="triage nurse", sus=(5, 1) * 5),
        FeedbackRecord(kind="trust", respondent_role="triage nurse", trust={"trust_safe": 4}),
        FeedbackRecord(
            kind="time_motion",
            respondent_role="triage nurse",
            task="triage",
            minutes_with=3,
            minutes_without=4.5,
        ),
        FeedbackRecord(kind="review", respondent_role="physician", accurate=False),
    ]
    scores = [r["score"] for r in feedback_table(records).records()]
    assert scores == ["SUS 100", "trust 4", "1.5 min saved", "not accurate"]


def test_signoff_times_are_written_as_the_caller_shows_them() -> None:
    import zoneinfo

    paris = zoneinfo.ZoneInfo("Europe/Paris")
    charter = parse_charter(preset_text("triage"))
    charter.sign("A. Martin", "clinical lead", at=dt.datetime(2026, 11, 25, 14, 5, tzinfo=dt.UTC))
    assert signoffs_table(charter).records()[0]["signed at"] == "2026-11-25T14:05:00+00:00"
    local = signoffs_table(charter, moment=lambda at: f"{at.astimezone(paris):%d %b %H:%M}")
    assert local.records()[0]["signed at"] == "25 Nov 15:05"
