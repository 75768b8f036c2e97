"""The standing: every outcome judged on one named iteration, never borrowing another's value."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from codesign.charter.feedback import FeedbackKind, FeedbackRecord
from codesign.exceptions import TrackingError
from codesign.tracking.reading import IterationRecord
from codesign.tracking.standing import format_number, standing_of


def record(
    index: int, name: str, metrics: dict[str, float], tags: dict[str, str] | None = None
) -> IterationRecord:
    return IterationRecord(
        run_id=f"run{index}",
        name=name,
        started_at=dt.datetime(2026, 3, index, tzinfo=dt.UTC),
        metrics=metrics,
        tags={"codesign.governance": "passed", **(tags or {})},
    )


@pytest.fixture
def history() -> list[IterationRecord]:
    return [
        record(1, "v1-rules", {"sens": 0.60, "usability": 55.0}),
        record(2, "v2-gbm-pilot", {"sens": 0.90, "usability": 80.625, "nurse_trust": 3.923}),
        record(
            3,
            "v3-vendor",
            {"sens": 0.70, "calibrated": 0.1},
            {
                "codesign.governance": "failed",
                "codesign.gate_override": "vendor file, DPO agreed",
                "codesign.data_sha256": "ab" * 32,
            },
        ),
    ]


def trust(iteration: str | None, score: int) -> FeedbackRecord:
    answers = {"trust_reliable": score}
    return FeedbackRecord(
        kind=FeedbackKind.TRUST, respondent_role="nurse", iteration=iteration, trust=answers
    )


def test_latest_iteration_is_judged_and_never_borrows_values(
    charter: Any, history: list[IterationRecord]
) -> None:
    standing = standing_of(charter, history)
    assert standing.iteration is not None
    assert standing.iteration.name == "v3-vendor"
    usability = standing.outcome("usability")
    assert usability is not None
    assert usability.value is None
    assert usability.verdict == "not measured"
    assert usability.note == "not measured for v3-vendor; last measured on v2-gbm-pilot: 80.6"
    sens = standing.outcome("sens")
    assert sens is not None
    assert (sens.value, sens.verdict, sens.regression) == (0.70, "not met", True)
    counts = standing.counts()
    assert counts == {"met": 1, "not met": 1, "not measured": len(charter.outcomes) - 2}
    assert standing.headline().startswith("v3-vendor: 1 met, 1 not met, ")
    assert "gate failed (overridden: vendor file, DPO agreed)" in standing.headline()
    assert not standing.complete


def test_a_named_iteration_is_judged_with_its_own_values(
    charter: Any, history: list[IterationRecord]
) -> None:
    standing = standing_of(charter, history, iteration="v2-gbm-pilot")
    assert standing.iteration is not None
    assert standing.iteration.governance == "passed"
    assert standing.iteration.gate_override is None
    trust_standing = standing.outcome("nurse_trust")
    assert trust_standing is not None
    assert (trust_standing.value, trust_standing.value_text) == (3.923, "3.923")
    never = standing.outcome("rated_accurate")
    assert never is not None
    assert (
        never.note == "not measured for v2-gbm-pilot; not measured by an earlier iteration either"
    )


def test_feedback_counts_for_the_iteration_its_records_name(
    charter: Any, history: list[IterationRecord]
) -> None:
    feedback = [trust("v2-gbm-pilot", 4), trust("v2-gbm-pilot", 3), trust(None, 5)]
    v2 = standing_of(charter, history, iteration="v2-gbm-pilot", feedback=feedback)
    v3 = standing_of(charter, history, feedback=feedback)
    assert v2.feedback == {"trust": 2}
    assert v2.outcome("nurse_trust").responses == 2  # type: ignore[union-attr]
    assert v3.feedback == {"trust": 1}  # only the record naming no iteration
    assert v3.outcome("sens").responses is None  # type: ignore[union-attr]


def test_unknown_iteration_names_the_known_ones(
    charter: Any, history: list[IterationRecord]
) -> None:
    with pytest.raises(TrackingError, match=r"'v9'.*v1-rules, v2-gbm-pilot, v3-vendor"):
        standing_of(charter, history, iteration="v9")
    with pytest.raises(TrackingError, match="no iteration is logged yet"):
        standing_of(charter, [], iteration="v1")


def test_no_iteration_yet(charter: Any) -> None:
    standing = standing_of(charter, [])
    assert standing.iteration is None
    assert all(o.note == "no iteration logged yet" for o in standing.outcomes)
    assert standing.to_json()["iteration"] is None


def test_json_states_value_verdict_iteration_and_note(
    charter: Any, history: list[IterationRecord]
) -> None:
    document = standing_of(charter, history).to_json()
    assert document["iteration"]["name"] == "v3-vendor"
    assert document["iteration"]["gate_override"] == "vendor file, DPO agreed"
    assert document["counts"]["met"] == 1
    by_id = {o["id"]: o for o in document["outcomes"]}
    assert by_id["calibrated"] == {
        **by_id["calibrated"],
        "value": 0.1,
        "verdict": "met",
        "iteration": "v3-vendor",
        "note": None,
    }
    assert by_id["usability"]["last_measured"] == {"iteration": "v2-gbm-pilot", "value": 80.625}


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "–"),
        (0.97849, "0.978"),
        (0.95, "0.95"),
        (1.0, "1"),
        (3.923, "3.923"),
        (4.0, "4"),
        (80.625, "80.6"),
        (12.0, "12"),
        (250.4, "250"),
        (-0.0001, "0"),
        (float("nan"), "–"),
    ],
)
def test_one_number_formatter(value: float | None, text: str) -> None:
    assert format_number(value) == text
