"""One truth for every verdict: compare, the report, the portfolio and promote agree.

A project with three iterations: v1 on gated data, v2 with the nurses' feedback (only for it),
v3 on data that failed the gate, logged with an override. Every view judges the latest (v3)
and states the same value, verdict and note for every outcome.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codesign.charter.feedback import (
    FeedbackKind,
    FeedbackRecord,
    append_feedback,
)
from codesign.fileio import sha256_file
from codesign.portfolio import build_portfolio
from codesign.portfolio.exports import portfolio_json
from codesign.project import GateFinding, GateRecord, Project, record_gate_result
from codesign.reports.markup import value_text
from codesign.reports.sections import load_report
from codesign.tracking import IterationOptions, track
from codesign.tracking.promotion import promote
from codesign.tracking.standing import format_number

DATA = Path(__file__).parent.parent / "data"
OVERRIDE = "vendor extract re-identified upstream; DPO agreed on 2026-03-04"


def gate(project: Project, path: Path, *, passed: bool, day: int) -> None:
    findings = (
        [] if passed else [GateFinding(column="note", category="phi.name", count=7, check="x")]
    )
    record_gate_result(
        project,
        GateRecord(
            passed=passed,
            rows=10,
            findings=findings,
            data_sha256=sha256_file(path),
            source=path.name,
            charter_sha256="0" * 64,
            checked_at=dt.datetime(2026, 3, day, tzinfo=dt.UTC),
        ),
    )


def variant(source: Path, target: Path, flip: int) -> Path:
    """The small predictions with ``flip`` predicted labels turned around (other values)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    column = header.index("y_pred")
    out = [lines[0]]
    for number, line in enumerate(lines[1:]):
        cells = line.split(",")
        if number < flip:
            cells[column] = "1" if cells[column] == "0" else "0"
        out.append(",".join(cells))
    target.write_text("\n".join(out) + "\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def three(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as env:  # the autouse isolation is per test
        for name in ("CODESIGN_TRACKING_URI", "MLFLOW_TRACKING_URI"):
            env.delenv(name, raising=False)
        yield _three(tmp_path_factory.mktemp("one-truth"), DATA)


def _three(folder: Path, data_dir: Path) -> Path:
    root = folder / "sepsis"
    root.mkdir()
    shutil.copy(data_dir / "charter-tracking.yaml", root / "codesign.yaml")
    project = Project.at(root)
    small = data_dir / "predictions-small.csv"
    v1 = variant(small, root / "v1.csv", 3)
    v2 = variant(small, root / "v2.csv", 0)
    v3 = variant(small, root / "v3.csv", 2)
    raw = root / "raw-extract.csv"
    raw.write_text("age,note\n54,x\n", encoding="utf-8")
    gate(project, v1, passed=True, day=1)
    gate(project, v2, passed=True, day=2)
    gate(project, raw, passed=False, day=3)
    append_feedback(
        project.feedback_path,
        [
            FeedbackRecord(
                kind=FeedbackKind.TRUST,
                respondent_role="triage nurse",
                iteration="v2",
                trust={"trust_reliable": score},
            )
            for score in (4, 4, 3)
        ],
    )
    track(v1, project=project, options=IterationOptions(name="v1"))
    track(v2, project=project, options=IterationOptions(name="v2"))
    track(
        v3, project=project, options=IterationOptions(name="v3", data=raw, override_gate=OVERRIDE)
    )
    return root


def test_every_view_states_the_same_standing(three: Path, run_cli: Any, tmp_path: Path) -> None:
    compared = run_cli("compare", "--project", str(three), "--json")
    assert compared.returncode == 0, compared.stderr
    from_compare = json.loads(compared.stdout)["standing"]

    portfolio = build_portfolio([three.parent])
    from_portfolio = json.loads(portfolio_json(portfolio, tmp_path))["initiatives"][0]["standing"]

    refusal = promote("v3", project=three)
    assert not refusal.promoted
    from_promote = refusal.to_json()["standing"]

    judged = from_compare["iteration"]
    assert judged["name"] == "v3"
    assert judged["governance"] == "failed"
    assert judged["gate_override"] == OVERRIDE
    assert from_promote["outcomes"] == from_compare["outcomes"]
    assert from_promote["counts"] == from_compare["counts"]
    assert from_promote["iteration"] == from_compare["iteration"]
    # The portfolio shows no free text (iteration names, reasons): same values, same run.
    assert from_portfolio["iteration"]["run_id"] == judged["run_id"]
    assert from_portfolio["iteration"]["name"] is None
    assert from_portfolio["iteration"]["gate_overridden"] is True
    assert from_portfolio["counts"] == from_compare["counts"]
    keys = ("id", "value", "value_text", "met", "verdict", "regression", "responses")
    assert [{k: o[k] for k in keys} for o in from_portfolio["outcomes"]] == [
        {k: o[k] for k in keys} for o in from_compare["outcomes"]
    ]
    assert OVERRIDE not in json.dumps(from_portfolio)

    trust = next(o for o in from_compare["outcomes"] if o["id"] == "nurse_trust")
    assert trust["verdict"] == "not measured"
    assert trust["note"] == f"not measured for v3; last measured on v2: {format_number(11 / 3)}"

    report = load_report(three)
    summary, scorecard = report.summary().html, report.scorecard().html
    governance = report.governance().html
    counts = from_compare["counts"]
    assert "Judged on <strong>v3</strong>" in summary
    assert f"<strong>{counts['met']} met</strong>" in summary
    assert f"<strong>{counts['not_met']} not met</strong>" in summary
    assert f"{counts['not_measured']} not measured on it" in summary
    assert OVERRIDE in summary
    assert OVERRIDE in governance
    assert "Value on v3" in scorecard
    for outcome in from_compare["outcomes"]:
        if outcome["value"] is not None:
            assert f">{value_text(outcome['value'])}" in scorecard, outcome["id"]
        else:
            assert outcome["note"] in scorecard, outcome["id"]
    feedback = report.feedback().html
    assert "0 of the 3 feedback record(s) are about v3; the others are about v2" in feedback

    for item in refusal.missing:
        assert "outcome" in item or "data:" in item or "sign-off" in item
    unmet = [o for o in from_compare["outcomes"] if o["verdict"] != "met"]
    assert len([m for m in refusal.missing if m.startswith("outcome ")]) == len(unmet)
    assert any(OVERRIDE in m for m in refusal.missing)


def test_a_failed_gate_run_stays_visible_after_a_pass(three: Path, tmp_path: Path) -> None:
    report = load_report(three)
    html = report.governance().html
    assert "History of the gate" in html
    assert "raw-extract.csv" in html
    assert "✗ Failed" in html
    assert "phi.name 7" in html
    portfolio = build_portfolio([three.parent])
    record = json.loads(portfolio_json(portfolio, tmp_path))["initiatives"][0]
    assert [run["passed"] for run in record["gate_history"]] == [False, True, True]
    assert record["gate_history"][0]["findings"] == {"phi.name": 7}


def test_compare_judges_a_named_iteration(three: Path, run_cli: Any) -> None:
    compared = run_cli("compare", "--project", str(three), "--iteration", "v2")
    assert compared.returncode == 0, compared.stderr
    assert "Judged: v2: " in compared.stdout
    unknown = run_cli("compare", "--project", str(three), "--iteration", "v9")
    assert unknown.returncode == 2
    assert "expected one of: v1, v2, v3" in unknown.stderr
