"""A target outside its metric's scale is refused with the likely intent."""

from __future__ import annotations

import pytest

from codesign.charter import parse_charter
from codesign.charter.registry import REGISTRY
from codesign.exceptions import CharterError


def charter_with(metric: str, target: str, params: str = "") -> str:
    return (
        "schema_version: 1\nuse_case: {title: Scale}\noutcomes:\n"
        f'  - {{id: o, title: O, category: safety, metric: {metric}, target: "{target}"{params}}}\n'
    )


@pytest.mark.parametrize(
    ("metric", "target", "message"),
    [
        (
            "sensitivity",
            ">= 95",
            'on the scale of sensitivity, 0 to 1, got ">= 95" (did you mean ">= 0.95"?)',
        ),
        ("ppv", ">= 99.5", '(did you mean ">= 0.995"?)'),
        ("sus", ">= 120", "on the scale of sus, 0 to 100, got"),
        ("trust", ">= 0.8", "on the scale of trust, 1 to 5"),
        ("minutes_saved", ">= -3", "on the scale of minutes_saved, 0 to 1440 min"),
        ("brier", "< 0", '"< 0" can never be met: brier goes from 0 to 1'),
        ("specificity", "> 1", '"> 1" can never be met'),
    ],
)
def test_out_of_scale_targets_are_refused(metric: str, target: str, message: str) -> None:
    with pytest.raises(CharterError) as e:
        parse_charter(charter_with(metric, target))
    assert "outcomes[0].target" in str(e.value)
    assert message in str(e.value)


@pytest.mark.parametrize(
    ("metric", "target"),
    [
        ("sensitivity", ">= 0.95"),
        ("sensitivity", ">= 1"),
        ("sus", ">= 68"),
        ("trust", ">= 3.5"),
        ("minutes_saved", ">= 0"),
        ("brier", "<= 0.2"),
        ("under_triage_rate", "<= 0"),
    ],
)
def test_targets_on_the_scale_stay_valid(metric: str, target: str) -> None:
    parse_charter(charter_with(metric, target))


def test_subgroup_gap_is_a_difference_of_shares() -> None:
    params = ", params: {metric: sensitivity, by: sex}"
    with pytest.raises(CharterError, match=r'did you mean "<= 0.05"'):
        parse_charter(charter_with("subgroup_gap", "<= 5", params))


def test_every_builtin_metric_has_a_scale() -> None:
    assert all(spec.scale is not None for spec in REGISTRY)
