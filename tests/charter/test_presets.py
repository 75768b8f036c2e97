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


# --- the French presets ------------------------------------------------------------------------

SOURCES = {
    "triage": ("ACS Committee on Trauma", "(2014)", "ACS-COT", "Sauro (2011)", "Sauro 2011"),
    "imaging": ("Kuo et al., Radiology 2022;304:50-62", "Kuo 2022"),
    "documentation": ("Sauro (2011)", "Sauro 2011"),
    "blank": (),
}
"""What each preset cites, in both languages."""


def _same_content(charter: object) -> dict[str, object]:
    """What a translation keeps: every id, number, target, metric, column and decision score."""
    from codesign.charter import Charter

    assert isinstance(charter, Charter)
    return {
        "outcomes": [
            (o.id, o.category, o.metric, str(o.target), o.owner, o.params) for o in charter.outcomes
        ],
        "columns": charter.data_contract.model_dump(mode="json"),
        "scores": [(c.weight, c.build, c.buy, c.partner) for c in charter.decision.criteria],
        "choice": charter.decision.choice,
        "reports": charter.reports,
        "evidence": charter.evidence,
        "risks": [
            (h.id, h.severity, h.likelihood, h.residual_severity, h.residual_likelihood)
            for h in charter.risks
        ],
        "stage": charter.use_case.stage,
        "people": [(s.name, s.side) for s in charter.stakeholders],
    }


@pytest.mark.parametrize("name", PRESETS)
def test_french_preset_has_the_same_targets_and_sources(name: str) -> None:
    english_text, french_text = preset_text(name), preset_text(name, "fr")
    english, french = parse_charter(english_text), parse_charter(french_text)
    assert french.language is not None
    assert french.language.value == "fr"
    assert english.language is None
    assert _same_content(french) == _same_content(english)
    for source in SOURCES[name]:
        assert source in english_text, source
        assert source in french_text, source
    assert french_text.count("\n#") >= english_text.count("\n#") - 1  # the comments translated
    if name != "blank":
        assert french.clinical_lead is not None
        assert all(o.rationale for o in french.outcomes)
        titles = {o.id: o.title for o in english.outcomes}
        assert all(o.title != titles[o.id] for o in french.outcomes)
        assert french.use_case.title != english.use_case.title


@pytest.mark.parametrize("name", PRESETS)
def test_french_preset_round_trips_byte_for_byte(name: str) -> None:
    text = preset_text(name, "fr")
    assert CharterFile.from_text(text, "codesign.yaml").render() == text


def test_unknown_preset_language() -> None:
    with pytest.raises(CharterError, match='unknown language "de"'):
        preset_text("triage", "de")
