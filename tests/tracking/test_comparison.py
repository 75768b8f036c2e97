"""Comparing iterations: values against today's targets, trends, regressions, output formats."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from codesign.charter import load_charter
from codesign.tracking import IterationOptions, compare, track
from codesign.tracking.comparison import build_comparison
from codesign.tracking.reading import IterationRecord


def record(
    index: int, metrics: dict[str, float], charter_sha256: str = "", name: str | None = None
) -> IterationRecord:
    return IterationRecord(
        run_id=f"run{index}",
        name=name or f"v{index}",
        started_at=dt.datetime(2026, 3, index, tzinfo=dt.UTC),
        metrics=metrics,
        tags={"codesign.charter_sha256": charter_sha256, "codesign.governance": "passed"},
    )


@pytest.fixture
def history(charter: Any) -> list[IterationRecord]:
    current = charter.content_sha256()
    return [
        record(1, {"sens": 0.80, "calibrated": 0.25}, current),
        record(2, {"sens": 0.90, "calibrated": 0.19}, current),
        record(3, {"sens": 0.60}, current),  # sens drops below 0.75: a regression
        record(4, {"sens": 0.70, "calibrated": 0.10}, "0" * 64),  # still below, earlier charter
    ]


def test_values_are_judged_against_the_current_targets(charter: Any, history: Any) -> None:
    comparison = build_comparison(charter, "sepsis-alert", history)
    assert [o.id for o in comparison.outcomes] == [o.id for o in charter.outcomes]
    sens = [it.cells["sens"] for it in comparison.iterations]
    assert [(c.value, c.met, c.regression) for c in sens] == [
        (0.80, True, False),
        (0.90, True, False),
        (0.60, False, True),
        (0.70, False, True),
    ]
    calibrated = [it.cells["calibrated"] for it in comparison.iterations]  # brier <= 0.2
    assert [(c.value, c.met) for c in calibrated] == [
        (0.25, False),
        (0.19, True),
        (None, None),
        (0.10, True),
    ]
    assert not calibrated[0].regression  # never met before: not a regression
    assert comparison.iterations[2].cells["usability"].met is None
    assert [it.charter_current for it in comparison.iterations] == [True, True, True, False]


def test_trends_follow_the_targets_direction(charter: Any, history: Any) -> None:
    trends = build_comparison(charter, "sepsis-alert", history).trends
    assert trends["sens"].values == (0.80, 0.90, 0.60, 0.70)
    assert trends["sens"].direction == "better"  # 0.60 -> 0.70, higher is better
    assert (trends["sens"].latest, trends["sens"].previous) == (0.70, 0.60)
    assert trends["calibrated"].direction == "better"  # 0.19 -> 0.10, lower is better
    assert trends["usability"].direction is None
    worse = build_comparison(charter, "x", history[:3]).trends
    assert worse["sens"].direction == "worse"
    same = build_comparison(charter, "x", [history[0], record(5, {"sens": 0.80})]).trends
    assert same["sens"].direction == "same"


def test_regressions_name_the_iteration_that_last_met_the_outcome(
    charter: Any, history: Any
) -> None:
    regressions = build_comparison(charter, "sepsis-alert", history).regressions
    assert [
        (r.outcome, r.name, r.value, r.last_met_name, r.last_met_value) for r in regressions
    ] == [
        ("sens", "v3", 0.60, "v2", 0.90),
        ("sens", "v4", 0.70, "v2", 0.90),
    ]
    assert regressions[0].target == ">= 0.75"


def test_json_keeps_the_design_format(charter: Any, history: Any) -> None:
    document = build_comparison(charter, "sepsis-alert", history).to_json()
    assert next(iter(document)) == "iterations"
    first = document["iterations"][0]
    assert (first["run_id"], first["name"]) == ("run1", "v1")
    assert set(first["outcomes"]) == {o.id for o in charter.outcomes}
    assert first["outcomes"]["sens"] == {"value": 0.8, "met": True, "regression": False}
    assert first["outcomes"]["usability"] == {"value": None, "met": None, "regression": False}
    assert document["trends"]["sens"] == {
        "direction": "better",
        "latest": 0.7,
        "previous": 0.6,
        "measured": 4,
    }
    assert document["regressions"][0]["last_met_run_id"] == "run2"
    json.dumps(document)  # serialisable as is


def test_text_and_html(charter: Any, history: Any) -> None:
    comparison = build_comparison(charter, "sepsis-alert", history)
    text = comparison.text(last=2)
    lines = text.splitlines()
    assert lines[0] == "Iterations of sepsis-alert: 4 (showing the last 2; --json for all)"
    assert lines[2].split() == ["outcome", "target", "v3", "v4", "trend"]
    sens = next(line for line in lines if line.startswith("sens "))
    assert sens.split() == ["sens", ">=", "0.75", "0.6", "NO!", "0.7", "NO!", "better"]
    assert "Regressions in the latest iteration (v4):" in text
    assert "  sens: 0.7, target >= 0.75; met by v2 (0.9)" in text
    assert "measured under an earlier charter (values judged against today's targets): v4" in text
    assert "v1" not in comparison.text(last=2).split()
    assert "v1" in comparison.text(last=None).split()
    html = comparison._repr_html_()
    assert html.count("▼ regression") == 2
    assert "<table" in html
    assert "v4 *" in html
    assert build_comparison(charter, "empty", []).text() == (
        "No iterations logged yet in experiment empty."
    )


def test_html_escapes_charter_text(charter: Any, history: Any) -> None:
    charter.outcomes[0].title = "<script>alert(1)</script>"
    html = build_comparison(charter, "x", history)._repr_html_()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_compare_cli_end_to_end(
    project: Path, predictions_file: Path, tmp_path: Path, run_cli: Any
) -> None:
    empty = run_cli("compare", "--project", str(project), "--json")
    assert empty.returncode == 0, empty.stderr
    assert json.loads(empty.stdout)["iterations"] == []
    frame = pd.read_csv(predictions_file)
    better = frame.assign(y_pred=frame["y_true"])  # perfect decisions
    worse = frame.assign(y_pred=1 - frame["y_true"])  # every decision wrong
    better.to_csv(tmp_path / "better.csv", index=False)
    worse.to_csv(tmp_path / "worse.csv", index=False)
    for name, path in (
        ("v1", predictions_file),
        ("v2", tmp_path / "better.csv"),
        ("v3", tmp_path / "worse.csv"),
    ):
        track(path, project=project, options=IterationOptions(name=name, use_feedback=False))
    result = run_cli("compare", "--project", str(project), "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [it["name"] for it in document["iterations"]] == ["v1", "v2", "v3"]
    assert [it["outcomes"]["sens"]["value"] for it in document["iterations"]] == [0.8, 1.0, 0.0]
    assert [it["outcomes"]["sens"]["met"] for it in document["iterations"]] == [True, True, False]
    assert document["iterations"][2]["outcomes"]["sens"]["regression"] is True
    assert document["trends"]["sens"]["direction"] == "worse"
    assert {r["outcome"] for r in document["regressions"]} >= {"sens", "acc"}
    text = run_cli("compare", "--project", str(project))
    assert text.returncode == 0
    assert "Regressions in the latest iteration (v3):" in text.stdout
    assert compare(project).to_json() == document


def test_compare_judges_old_iterations_against_a_changed_target(
    project: Path, predictions_file: Path
) -> None:
    track(predictions_file, project=project, options=IterationOptions(name="v1"))
    file = load_charter(project)
    sens = file.charter.outcome("sens")
    assert sens is not None
    sens.target = ">= 0.85"  # type: ignore[assignment]
    file.save()
    comparison = compare(project)
    (iteration,) = comparison.iterations
    assert iteration.cells["sens"].met is False
    assert not iteration.charter_current
    frame = comparison.to_frame()
    assert frame.loc["v1", "sens"] == pytest.approx(0.8)


def test_notebook_objects_render_as_tables(project: Path, predictions_file: Path) -> None:
    from codesign.tracking import evaluate, read_predictions

    result = track(predictions_file, project=project, options=IterationOptions(name="nb <v1>"))
    html = result._repr_html_()
    assert "Iteration &quot;nb &lt;v1&gt;&quot;" in html
    assert html.count("<tr>") == 1 + len(result.outcomes)
    assert "not measured (no SUS questionnaire in the feedback records)" in html
    assert "Open the run in MLflow" not in html  # embedded store: no server page to link
    charter = load_charter(project).charter
    evaluation = evaluate(charter, read_predictions(predictions_file, group_columns=["sex"]))
    assert "Evaluation (not logged)" in evaluation._repr_html_()
    text = str(result)
    assert text.startswith('Logged iteration "nb <v1>" (run ')
    assert compare(project)._repr_html_().count("<tr>") == 1 + len(charter.outcomes)
