"""The report's sections, computed in-process on a real project (no kernel)."""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
import statistics
import subprocess
import sys
from pathlib import Path

import pytest

from codesign.charter import load_charter
from codesign.charter.model import Target
from codesign.project import GateFinding, GateRecord, Project, record_gate_result
from codesign.reports.charts import TrendPoint, _limits, trend_chart
from codesign.reports.markup import value_text
from codesign.reports.sections import load_report, open_signoffs_of
from codesign.tracking import compare

from .conftest import FEEDBACK, ITERATIONS

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def report(built_project: Path):
    return load_report(built_project, now=dt.datetime(2026, 3, 2, 7, tzinfo=dt.UTC))


def test_scorecard_shows_each_outcome_latest_value_and_verdict(report, built_project) -> None:
    comparison = compare(built_project)
    latest = comparison.iterations[-1]
    html = report.scorecard().html
    for outcome in report.charter.outcomes:
        cell = latest.cells[outcome.id]
        status = next(s for s in report.outcome_statuses if s.outcome.id == outcome.id)
        assert status.latest == cell.value
        assert status.met == cell.met
        assert status.latest_iteration == (ITERATIONS[-1] if cell.value is not None else None)
        assert outcome.title in html
        if cell.value is not None:
            assert f">{value_text(cell.value)}" in html
    assert "≥ 0.95" in html
    assert "≤ 0.05" in html
    assert "✓ Met" in html
    assert "✗ Not met" in html
    assert comparison.iterations[-1].cells["under_triage"].met is False  # the data says so


def test_summary_counts_the_verdicts(report) -> None:
    statuses = report.outcome_statuses
    met = sum(1 for s in statuses if s.met)
    not_met = sum(1 for s in statuses if s.met is False)
    summary = report.summary()
    assert f"<strong>{met} met</strong>" in summary.html
    assert f"<strong>{not_met} not met</strong>" in summary.html
    assert "3 iteration(s) logged" in summary.html
    assert "governance gate passed" in summary.html
    assert "Report of 2026-03-02 08:00 (Europe/Paris)" in summary.html  # the project's zone
    assert summary.html.startswith("<h1")


def test_trends_draw_one_chart_per_measured_outcome(report) -> None:
    html = report.trends().html
    images = re.findall(r'<img src="data:image/png;base64,([^"]+)" alt="([^"]*)"', html)
    measured = [s for s in report.outcome_statuses if s.latest is not None]
    assert len(images) == len(measured) == 7
    for (data, alt), status in zip(images, measured, strict=True):
        assert base64.b64decode(data).startswith(PNG)
        assert status.outcome.title.replace("'", "&#x27;") in alt
        assert f"the latest value ({value_text(status.latest)}, {ITERATIONS[-1]})" in alt


def test_a_chart_says_in_words_what_it_draws() -> None:
    points = [
        TrendPoint("v1", 0.8, False),
        TrendPoint("v2", None, None),
        TrendPoint("v3", 0.96, True),
    ]
    chart = trend_chart("Catch them", points, Target.parse(">= 0.95"), None)
    assert chart.png.startswith(PNG)
    assert chart.alt == (
        "Chart of Catch them over 3 iteration(s): 0.8 (v1), 0.96 (v3). Target ≥ 0.95; "
        "the latest value (0.96, v3) meets it."
    )
    assert chart._repr_png_() == chart.png


def test_chart_range_shows_values_and_target_within_the_metrics_range() -> None:
    from codesign.charter.registry import REGISTRY

    low, high = _limits([0.97, 0.99], 0.95, REGISTRY.get("sensitivity"))
    assert low < 0.95
    assert 0.99 < high <= 1.02
    low, high = _limits([1.0], 1.0, REGISTRY.get("sensitivity"))  # all at the bound
    assert low < 1.0 < high


def test_governance_counts_per_category_never_values(project_copy: Path) -> None:
    project = Project.at(project_copy)
    record_gate_result(
        project,
        GateRecord(
            passed=False,
            rows=1200,
            findings=[
                GateFinding(column="nurse_note", category="phi.phone", count=4, check="x"),
                GateFinding(column="nurse_note", category="phi.name", count=7, check="y"),
                GateFinding(column="age", category="range", count=2, check="z"),
                GateFinding(column="sex", category="range", count=3, check="z"),
            ],
            data_sha256="ab" * 32,
            source="raw.csv",
            charter_sha256="cd" * 32,
            checked_at=dt.datetime(2026, 3, 1, 7, tzinfo=dt.UTC),
        ),
    )
    section = load_report(project_copy).governance()
    assert "The gate failed" in section.html
    assert "raw.csv" in section.html
    assert "1200 rows" in section.html
    assert "The charter has changed since" in section.html
    rows = re.findall(r"<tr>(.*?)</tr>", section.html)
    cells = [re.findall(r">([^<>]*)</(?:td|code)>", row) for row in rows]
    assert ["phone numbers", "phi.phone", "1", "4"] in cells
    assert ["person names", "phi.name", "1", "7"] in cells
    assert ["values outside the declared range", "range", "2", "5"] in cells


def test_governance_not_run(tmp_path: Path) -> None:
    from codesign.charter import preset_text

    (tmp_path / "codesign.yaml").write_text(preset_text("blank"), encoding="utf-8")
    report = load_report(tmp_path)
    assert "Not run" in report.governance().html
    assert "No outcomes yet" in report.scorecard().html
    assert "No feedback recorded yet" in report.feedback().html
    assert "No decision made yet" in report.decision().html
    assert "Nobody has signed the charter yet" in report.signoffs().html


def test_decision_shows_the_weighted_scores(report) -> None:
    section = report.decision()
    scores = report.charter.decision.weighted_scores()
    for option, score in scores.items():
        assert f"{score:.1f} / 5" in section.html, option
    assert "Decision: <strong>partner</strong>" in section.html
    assert "✓ chosen" in section.html


def test_feedback_measures_from_the_records(report) -> None:
    measures = {m.metric: m for m in report.feedback_measures()}
    sus = [r.sus_score() for r in FEEDBACK if r.kind == "sus"]
    assert measures["sus"].value == pytest.approx(statistics.fmean(sus))
    assert measures["sus"].responses == 2
    assert measures["trust"].value == pytest.approx(3.5)
    assert measures["minutes_saved"].value == pytest.approx(1.5)
    assert measures["reviewed_accuracy"].value == pytest.approx(1.0)
    assert measures["sus"].met is True  # target >= 70
    html = report.feedback().html
    assert "Usability (SUS, 0 to 100)" in html
    assert value_text(statistics.fmean(sus)) in html
    assert "emergency physician, triage nurse" in html


def test_damaged_feedback_is_shown_not_fatal(project_copy: Path) -> None:
    (project_copy / "feedback" / "records.csv").write_text("kind,respondent_role\nsus,nurse\n")
    report = load_report(project_copy)
    assert "could not be read" in report.feedback().html
    assert "records.csv:2" in report.feedback().html
    assert report.scorecard().html  # the rest of the report still renders


def test_open_signoffs_missing_and_outdated(project_copy: Path) -> None:
    file = load_charter(project_copy)
    charter = file.charter
    opened = {o.name: o.reason for o in open_signoffs_of(charter)}
    assert opened == {
        "Dr A. Martin": "has not signed this version",
        "B. Lefèvre": "has not signed this version",
        "C. Nguyen": "has not signed this version",
    }
    charter.sign("Dr A. Martin", "clinical lead", at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    charter.sign("B. Lefèvre", "head triage nurse", at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC))
    charter.use_case.problem = "Waits before triage at peak hours"  # changed after signing
    charter.sign("B. Lefèvre", "head triage nurse", at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC))
    opened = {o.name: o.reason for o in open_signoffs_of(charter)}
    assert opened == {
        "Dr A. Martin": "signed an earlier version on 2026-03-01",
        "C. Nguyen": "has not signed this version",
    }
    file.save()
    html = load_report(project_copy).signoffs().html
    assert "Signed this version: B. Lefèvre" in html
    assert "signed an earlier version on 2026-03-01" in html


def test_the_risk_matrices_place_each_hazard_before_and_after_controls(report) -> None:
    section = report.risks()
    before, after = re.findall(r"<table.*?</table>", section.html, flags=re.S)[:2]
    for hazard in report.charter.risks:
        label = f"score {hazard.score}, {hazard.band}: "
        assert re.search(rf'aria-label="{label}[^"]*\b{hazard.id}\b', before), hazard.id
        residual = f"score {hazard.residual_score}, {hazard.residual_band}: "
        assert re.search(rf'aria-label="{residual}[^"]*\b{hazard.id}\b', after), hazard.id
    assert section.html.count("<td title=") == 2 * 25
    assert "15–25 unacceptable" in section.html  # the legend: the tint is not the only carrier
    assert section.text.startswith(f"{len(report.charter.risks)} hazard(s); before controls:")


def test_a_hazard_without_residual_risk_is_listed_not_dropped(project_copy: Path) -> None:
    file = load_charter(project_copy / "codesign.yaml")
    file.charter.risks[0].residual_severity = None
    file.charter.risks[0].residual_likelihood = None
    file.save()
    section = load_report(project_copy).risks()
    assert f"Residual risk not assessed yet for: {file.charter.risks[0].id}" in section.html
    assert "1 not assessed" in section.text


def test_no_hazard_says_what_the_workshop_does(project_copy: Path) -> None:
    file = load_charter(project_copy / "codesign.yaml")
    file.charter.risks = []
    file.save()
    section = load_report(project_copy).risks()
    assert "No hazard is logged yet" in section.html
    assert "<table" not in section.html


def test_the_evidence_section_counts_what_codesign_evidence_writes(
    report, built_project: Path, tmp_path: Path
) -> None:
    from codesign.evidence import write_evidence

    write_evidence(built_project, out=tmp_path / "evidence")
    document = json.loads((tmp_path / "evidence" / "evidence.json").read_text())
    section = report.evidence()
    for framework in document["frameworks"]:
        counts = framework["counts"]
        assert (
            f"{framework['title']}: {counts['evidenced']} evidenced, {counts['partial']} partial, "
            f"{counts['missing']} missing"
        ) in section.text
    required = document["required_missing"]
    if required:
        assert f"{len(required)} item(s) the charter requires are not evidenced" in section.html
        for item in required:
            assert f"<code>{item}</code>" in section.html


def test_the_report_kernel_imports_no_heavy_library(built_project: Path) -> None:
    """Reading iterations takes the SQLite path: no MLflow, GX, Papermill or pandas."""
    code = (
        "import json, sys\n"
        "from codesign.reports.sections import load_report\n"
        f"report = load_report({str(built_project)!r})\n"
        "for name in ('summary', 'scorecard', 'trends', 'governance', 'risks', 'decision',"
        " 'feedback', 'evidence', 'signoffs'):\n"
        "    getattr(report, name)()._repr_html_()\n"
        "heavy = ('mlflow', 'great_expectations', 'papermill', 'pandas', 'sklearn', 'nbconvert')\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []
    assert result.stderr == ""
