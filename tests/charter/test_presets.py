"""Presets: each validates, round-trips byte for byte, and carries sourced targets."""

from __future__ import annotations

import pytest

from codesign.charter import PRESETS, CharterFile, parse_charter, preset_text
from codesign.charter.registry import REGISTRY
from codesign.exceptions import CharterError

EXPECTED_METRICS = {
    "triage": {"under_triage_rate", "sensitivity", "minutes_saved", "sus", "trust"},
    "imaging": {"sensitivity", "specificity", "auroc", "subgroup_gap", "minutes_saved"},
    "documentation": {"minutes_saved", "reviewed_accuracy", "sus", "trust"},
    "blank": set(),
}


@pytest.mark.parametrize("name", PRESETS)
def test_preset_validates_with_expected_outcomes(name: str) -> None:
    charter = parse_charter(preset_text(name), f"{name}.yaml")
    assert EXPECTED_METRICS[name] <= {o.metric for o in charter.outcomes}
    assert all(o.metric in REGISTRY for o in charter.outcomes)


@pytest.mark.parametrize("name", PRESETS)
def test_preset_round_trips_byte_for_byte(name: str) -> None:
    text = preset_text(name)
    assert CharterFile.from_text(text, "codesign.yaml").render() == text


@pytest.mark.parametrize("name", [p for p in PRESETS if p != "blank"])
def test_every_target_has_a_rationale(name: str) -> None:
    charter = parse_charter(preset_text(name))
    assert all(o.rationale and o.owner for o in charter.outcomes)
    assert charter.clinical_lead is not None


def test_triage_measures_sensitivity_on_levels_one_and_two() -> None:
    outcome = parse_charter(preset_text("triage")).outcome("high_acuity_sensitivity")
    assert outcome is not None
    assert outcome.params["levels"] == [1, 2]


def test_unknown_preset() -> None:
    with pytest.raises(CharterError, match="unknown preset"):
        preset_text("radiology")
