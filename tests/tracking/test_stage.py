"""Pilot and scaled are reached by a go decision or a recorded reason, never silently."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from codesign.charter import CharterFile, Stage, preset_text
from codesign.charter.model import Charter
from codesign.project import Project
from codesign.tracking.promotion import (
    PROMOTIONS_FILE,
    Promotion,
    next_stage,
    read_promotions,
    record_promotion,
    stage_standing,
)

AT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def charter(stage: Stage, reason: str | None = None) -> Charter:
    model = CharterFile.from_text(preset_text("triage"), Path("codesign.yaml")).charter
    model.use_case.stage = stage
    model.use_case.stage_reason = reason
    return model


def decision(stage: Stage, iteration: str = "v2") -> Promotion:
    return Promotion(
        iteration=iteration,
        run_id="r" * 32,
        decided_by="Dr A. Martin",
        decided_at=AT,
        charter_sha256="c" * 64,
        standing={},
        stage=stage,
    )


def test_a_stage_before_deployment_needs_nothing() -> None:
    for stage in (Stage.IDEA, Stage.CO_DESIGN, Stage.RETIRED):
        standing = stage_standing(charter(stage), [])
        assert (standing.stage, standing.backed, standing.problem()) == (stage, True, None)


def test_pilot_without_decision_nor_reason_is_a_problem_saying_what_to_do() -> None:
    standing = stage_standing(charter(Stage.PILOT), [])
    assert not standing.backed
    problem = standing.problem() or ""
    assert "stage pilot without a go decision" in problem
    assert "codesign promote" in problem
    assert "use_case.stage_reason" in problem


def test_a_recorded_reason_backs_the_stage() -> None:
    standing = stage_standing(charter(Stage.SCALED, "Board decision of 2 October"), [])
    assert standing.backed
    assert standing.backing == "reason recorded: Board decision of 2 October"


def test_a_go_decision_moves_the_stage_without_rewriting_the_charter() -> None:
    model = charter(Stage.CO_DESIGN)
    before = model.content_sha256()
    standing = stage_standing(model, [decision(Stage.PILOT)])
    assert standing.stage is Stage.PILOT
    assert standing.backing is not None
    assert standing.backing.startswith("go decision: v2 promoted to pilot on 2026-11-02 09:30 UTC")
    assert model.content_sha256() == before


def test_a_pilot_decision_does_not_back_a_scaled_charter() -> None:
    standing = stage_standing(charter(Stage.SCALED), [decision(Stage.PILOT)])
    assert (standing.stage, standing.backed) == (Stage.SCALED, False)


def test_a_retired_use_case_stays_retired_after_its_decisions() -> None:
    standing = stage_standing(charter(Stage.RETIRED), [decision(Stage.SCALED)])
    assert (standing.stage, standing.backed) == (Stage.RETIRED, True)


@pytest.mark.parametrize(
    ("stage", "decided", "expected"),
    [
        (Stage.CO_DESIGN, [], Stage.PILOT),
        (Stage.IDEA, [], Stage.PILOT),
        (Stage.CO_DESIGN, [Stage.PILOT], Stage.SCALED),
        (Stage.PILOT, [], Stage.SCALED),
    ],
)
def test_the_next_decision_goes_to_pilot_then_scaled(
    stage: Stage, decided: list[Stage], expected: Stage
) -> None:
    assert next_stage(charter(stage, "reason"), [decision(s) for s in decided]) is expected


def test_the_reason_is_left_out_of_the_content_until_given() -> None:
    """Adding the field must not make every existing sign-off outdated."""
    without = charter(Stage.CO_DESIGN)
    assert "stage_reason" not in without.canonical()["use_case"]
    given = charter(Stage.CO_DESIGN, "Board decision")
    assert given.content_sha256() != without.content_sha256()


def test_decisions_keep_their_stage_and_older_records_read_as_pilot(tmp_path: Path) -> None:
    (tmp_path / "codesign.yaml").write_text(preset_text("triage"))
    project = Project.at(tmp_path)
    record_promotion(project, decision(Stage.SCALED))
    path = tmp_path / PROMOTIONS_FILE
    document = json.loads(path.read_text())
    assert document["promotions"][0]["stage"] == "scaled"
    del document["promotions"][0]["stage"]  # written before stages were recorded
    path.write_text(json.dumps(document))
    assert [p.stage for p in read_promotions(project)] == [Stage.PILOT]
