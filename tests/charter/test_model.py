"""Charter models: targets, sign-offs, hashing, decision scores, assignment validation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pydantic import ValidationError

from codesign.charter import (
    Charter,
    DecisionOption,
    Outcome,
    PhiMode,
    Target,
    load_charter,
    parse_charter,
    preset_text,
)


@pytest.mark.parametrize(
    ("text", "value", "met", "not_met"),
    [
        (">= 0.95", 0.95, 0.95, 0.9499),
        ("<= 0.05", 0.05, 0.05, 0.0501),
        ("> 3", 3.0, 3.01, 3.0),
        ("< 10", 10.0, 9.99, 10.0),
        (">=1e-2", 0.01, 0.01, 0.009),
    ],
)
def test_target_semantics(text: str, value: float, met: float, not_met: float) -> None:
    target = Target.parse(text)
    assert target.value == pytest.approx(value)
    assert target.met(met)
    assert not target.met(not_met)


@pytest.mark.parametrize("bad", ["high", "0.95", "== 1", ">= ", ">= 0.9 or so", "=> 0.9", ""])
def test_bad_targets_are_rejected(bad: str) -> None:
    outcome = {"id": "x", "title": "X", "category": "safety", "metric": "sensitivity"}
    with pytest.raises(ValidationError, match="expected an operator and a number"):
        Outcome.model_validate({**outcome, "target": bad})


def test_target_keeps_digits_as_written() -> None:
    assert str(Target.parse(">=0.950")) == ">= 0.950"


def test_assignment_is_validated() -> None:
    charter = parse_charter(preset_text("triage"))
    with pytest.raises(ValidationError, match="expected an operator and a number"):
        charter.outcomes[0].target = "very low"  # type: ignore[assignment]
    with pytest.raises(ValidationError):
        charter.outcomes[0].category = "fairness"  # type: ignore[assignment]
    charter.outcomes[0].target = "<= 0.04"  # type: ignore[assignment]
    assert isinstance(charter.outcomes[0].target, Target)


def test_control_characters_are_refused() -> None:
    charter = parse_charter(preset_text("blank"))
    with pytest.raises(ValidationError, match="control character"):
        charter.use_case.title = "Triage\x95"


def test_content_hash_ignores_comments_formatting_and_signoffs() -> None:
    text = preset_text("triage")
    base = parse_charter(text)
    reformatted = parse_charter(
        "\n".join(line for line in text.splitlines() if not line.strip().startswith("#")).replace(
            'target: ">= 0.95"', "target: '>= 0.95'"
        )
    )
    assert reformatted.content_sha256() == base.content_sha256()
    base.sign("Dr A. Martin", "clinical lead")
    assert base.content_sha256() == reformatted.content_sha256()
    changed = parse_charter(text.replace('target: ">= 0.95"', 'target: ">= 0.9"'))
    assert changed.content_sha256() != base.content_sha256()


def test_signoff_is_invalidated_by_a_change() -> None:
    charter = parse_charter(preset_text("triage"))
    at = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)
    signoff = charter.sign("Dr A. Martin", "clinical lead", at=at)
    assert signoff.charter_sha256 == charter.content_sha256()
    assert charter.valid_signoffs() == [signoff]
    charter.outcomes[0].target = "<= 0.1"  # type: ignore[assignment]
    assert charter.valid_signoffs() == []
    assert charter.outdated_signoffs() == [signoff]


def test_weighted_decision_scores() -> None:
    decision = parse_charter(preset_text("triage")).decision
    scores = decision.weighted_scores()
    # partner: (3*4 + 2*4 + 2*3 + 3*4 + 2*4 + 1*3) / 13
    assert scores[DecisionOption.PARTNER] == pytest.approx(49 / 13)
    assert max(scores, key=lambda o: scores[o] or 0) is DecisionOption.PARTNER
    blank = parse_charter(preset_text("blank")).decision
    assert blank.weighted_scores() == dict.fromkeys(DecisionOption)


def test_text_columns_are_scanned_by_default() -> None:
    contract = parse_charter(preset_text("triage")).data_contract
    assert contract.column("chief_complaint").phi_mode is PhiMode.SCAN  # type: ignore[union-attr]
    assert contract.column("encounter_id").phi_mode is PhiMode.ALLOWED  # type: ignore[union-attr]
    assert contract.column("age").phi_mode is PhiMode.ALLOWED  # type: ignore[union-attr]


def test_params_are_normalised_for_the_metric() -> None:
    charter = parse_charter(preset_text("triage"))
    gap = charter.outcome("sex_gap")
    assert gap is not None
    assert gap.params == {"metric": "sensitivity", "by": "sex", "levels": [1, 2]}
    assert charter.outcome("high_acuity_sensitivity").params == {"levels": [1, 2]}  # type: ignore[union-attr]


def test_range_only_on_numbers(data_dir: Path) -> None:
    text = (
        (data_dir / "charter-minimal.yaml")
        .read_text()
        .replace(
            "{name: sex, type: category, allowed: [F, M]}",
            "{name: sex, type: category, range: [0, 1]}",
        )
    )
    with pytest.raises(Exception, match="a range needs an integer or number column"):
        parse_charter(text)


def test_clinical_lead_is_found() -> None:
    charter = parse_charter(preset_text("triage"))
    assert charter.clinical_lead is not None
    assert charter.clinical_lead.name == "Dr A. Martin"


def test_charter_equality_survives_file_round_trip(data_dir: Path) -> None:
    charter = load_charter(data_dir / "charter-minimal.yaml").charter
    assert Charter.model_validate(charter.model_dump()) == charter
