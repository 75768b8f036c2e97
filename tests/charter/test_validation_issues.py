"""One record or field validated as the loader would: the same located, plain messages."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from codesign.charter import Outcome, load_charter, preset_text
from codesign.charter.document import validation_issues
from codesign.charter.model import Criterion, Stakeholder
from codesign.charter.registry import REGISTRY
from codesign.exceptions import CharterError


def issues(model: type, data: dict[str, object], prefix: tuple[str | int, ...] = ()) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)  # type: ignore[attr-defined]
    return [f"{i.loc}: {i.message}" for i in validation_issues(caught.value, prefix)]


def test_an_outcome_row_gets_the_loaders_messages_with_its_place() -> None:
    row = {"id": "x", "title": "T", "category": "safety", "metric": "suss", "target": "high"}
    assert issues(Outcome, row, ("outcomes", 3)) == [
        'outcomes[3].metric: unknown metric "suss" (did you mean "sus"?); expected one of: '
        + ", ".join(REGISTRY.names()),
        'outcomes[3].target: expected an operator and a number like ">= 0.95", got "high"',
    ]


def test_metric_options_are_located_under_params() -> None:
    row = {
        "id": "gap",
        "title": "T",
        "category": "equity",
        "metric": "subgroup_gap",
        "target": "<= 0.05",
        "params": {"by": "sex", "threshold": "2"},
    }
    assert sorted(issues(Outcome, row)) == [
        "params.metric: required option missing",
        "params.threshold: expected less than 1",
    ]


def test_blank_text_reads_must_not_be_empty() -> None:
    assert issues(Stakeholder, {"name": "   ", "role": "nurse"}) == ["name: must not be empty"]


def test_bounds_read_expected() -> None:
    assert issues(Criterion, {"name": "cost", "weight": -1}) == [
        "weight: expected greater than or equal to 0, got -1"
    ]


def test_the_loader_words_a_blank_title_the_same(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage").replace("title: Nurse triage assistant", 'title: "  "'))
    with pytest.raises(CharterError) as caught:
        load_charter(path)
    assert [(i.loc, i.message, i.line) for i in caught.value.issues] == [
        ("use_case.title", "must not be empty", 8)
    ]


def test_a_new_record_in_a_list_of_one_liners_is_a_one_liner(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text(preset_text("triage"))
    file = load_charter(path)
    file.charter.stakeholders.append(Stakeholder(name="E. Dubois", role="charge nurse"))
    file.charter.decision.criteria.insert(0, Criterion(name="safety", weight=3, partner=4))
    file.save()
    text = path.read_text()
    rossi = "{name: D. Rossi, role: ML engineer, side: partner, organisation: Example Health AI}"
    assert f"  - {rossi}\n  - {{name: E. Dubois, role: charge nurse}}\n" in text
    assert "  criteria:\n    - {name: safety, weight: 3, partner: 4}\n" in text
    outcome = Outcome(
        id="auroc", title="Ranks", category="accuracy", metric="auroc", target="> 0.8"
    )
    file.charter.outcomes.append(outcome)
    file.save()
    assert "  - id: auroc\n    title: Ranks\n" in path.read_text()  # block records stay blocks
