"""The gate on files: verdicts, exact counts, every contract rule, nothing but counts kept."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd
import pytest

from codesign.exceptions import GovernanceError
from codesign.fileio import sha256_file
from codesign.governance import GateOptions, run_gate
from codesign.project import FINDING_CATEGORIES, Project, gate_status, latest_gate_result


def counts(result) -> dict[tuple[str, str], int]:
    return {(f.column, f.category): f.count for f in result.findings}


def test_clean_extract_passes(project: Path, clean_frame: pd.DataFrame, write_csv) -> None:
    data = write_csv(clean_frame)
    result = run_gate(data, project)
    assert result.passed, result.summary()
    assert result.rows == len(clean_frame)
    assert result.to_dict() == {"passed": True, "rows": len(clean_frame), "findings": []}
    assert result.data_docs == project / "governance" / "data_docs" / "index.html"
    assert result.data_docs.is_file()
    assert gate_status(Project.at(project), sha256_file(data)) == "passed"


def test_planted_identifiers_are_counted_and_never_kept(
    project: Path, planted, write_csv, find_leaks, read_written, caplog
) -> None:
    caplog.set_level(logging.DEBUG)
    data = write_csv(planted.frame)
    result = run_gate(data, project)
    assert not result.passed
    found = counts(result)
    phi = {k: v for k, v in found.items() if k[1].startswith("phi.")}
    assert phi == planted.expected
    assert found[("patient_name", "undeclared_column")] == len(planted.frame)
    assert found[("nir", "undeclared_column")] == len(planted.frame)
    forbidden = {f.column for f in result.findings if f.check == "expect_column_to_be_absent"}
    assert forbidden == {"patient_name", "nir"}
    assert {f.category for f in result.findings} <= set(FINDING_CATEGORIES)
    assert {f.check for f in result.findings if f.category.startswith("phi.")} == {
        "expect_column_values_to_contain_no_phi"
    }
    written = read_written(project, skip=[project / "codesign.yaml"])
    assert any(p.endswith(".html") for p in written)
    assert any("/results/" in p for p in written)
    texts = {
        **written,
        "summary": result.summary(),
        "html": result._repr_html_(),
        "json": result.to_json(),
        "logs": "\n".join(r.getMessage() for r in caplog.records),
    }
    assert find_leaks(texts, planted.canaries) == []
    record = latest_gate_result(Project.at(project))
    assert record is not None
    assert record.data_sha256 == sha256_file(data)
    assert not record.passed
    assert record.source == "extract.csv"


def test_parquet_gives_the_same_result(project: Path, planted, tmp_path: Path, write_csv) -> None:
    parquet = tmp_path / "extract.parquet"
    planted.frame.to_parquet(parquet, index=False)
    from_csv = run_gate(write_csv(planted.frame), project, GateOptions(data_docs=False))
    from_parquet = run_gate(parquet, project, GateOptions(data_docs=False))
    assert from_parquet.to_dict() == from_csv.to_dict()
    assert from_parquet.record.data_sha256 == sha256_file(parquet)


def _break(frame: pd.DataFrame, rule: str) -> tuple[pd.DataFrame, dict[tuple[str, str], int]]:
    """A copy of a clean extract breaking one rule, and the finding expected."""
    broken = frame.copy()
    rows = len(broken)
    if rule == "missing_column":
        return broken.drop(columns=["age"]), {("age", "missing_column"): rows}
    if rule == "undeclared_column":
        broken["bed"] = range(rows)
        broken.loc[:9, "bed"] = None
        return broken, {("bed", "undeclared_column"): rows - 10}
    if rule == "type":
        broken["age"] = broken["age"].astype("object")
        broken.loc[[3, 7, 11], "age"] = ["soixante", "70 ans", "12.5"]
        return broken, {("age", "type"): 3}
    if rule == "range":
        broken.loc[[1, 2, 5, 8], "age"] = [150, 130, 12, 0]
        return broken, {("age", "range"): 4}
    if rule == "allowed":
        broken.loc[[4, 6], "sex"] = "X"
        broken.loc[[9], "critical_care"] = 2
        return broken, {("sex", "allowed"): 2, ("critical_care", "allowed"): 1}
    if rule == "completeness":
        broken.loc[: rows // 10 - 1, "arrival_hour"] = None  # 10 % missing, 5 % allowed
        return broken, {("arrival_hour", "completeness"): rows // 10}
    if rule == "unique":
        broken.loc[[20, 21], "encounter_id"] = broken.loc[[30, 31], "encounter_id"].to_numpy()
        return broken, {("encounter_id", "allowed"): 4}
    if rule == "forbidden_column":
        broken["patient_name"] = None
        broken.loc[:4, "patient_name"] = "X"
        return broken, {("patient_name", "undeclared_column"): 5}
    raise AssertionError(rule)


@pytest.mark.parametrize(
    "rule",
    [
        "missing_column",
        "undeclared_column",
        "type",
        "range",
        "allowed",
        "completeness",
        "unique",
        "forbidden_column",
    ],
)
def test_each_contract_rule_fails_on_purpose(
    project: Path, clean_frame: pd.DataFrame, write_csv, rule: str
) -> None:
    broken, expected = _break(clean_frame, rule)
    result = run_gate(write_csv(broken), project, GateOptions(data_docs=False))
    assert not result.passed
    assert counts(result) == expected, result.summary()


def test_undeclared_columns_are_scanned_for_phi(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    frame = clean_frame.copy()
    frame["contact"] = None
    frame.loc[:2, "contact"] = ["06 12 34 56 78", "0612345679", "+33 6 12 34 56 80"]
    result = run_gate(write_csv(frame), project, GateOptions(data_docs=False))
    assert counts(result) == {("contact", "phi.phone"): 3, ("contact", "undeclared_column"): 3}


def test_phi_allowed_columns_are_not_scanned(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    frame = clean_frame.copy()
    frame.loc[0, "encounter_id"] = "0612345678"  # phi: allowed in the contract
    assert run_gate(write_csv(frame), project, GateOptions(data_docs=False)).passed


def test_a_result_renders_counts_for_people(project: Path, planted, write_csv) -> None:
    result = run_gate(write_csv(planted.frame), project, GateOptions(data_docs=False))
    summary = result.summary()
    assert summary.startswith("Governance gate FAILED: extract.csv (400 rows)")
    assert "nurse_note" in summary
    assert "phone numbers: 4" in summary
    assert "patient_name" in result._repr_html_()
    assert json.loads(result.to_json())["rows"] == 400


def test_data_docs_are_replaced_whole(project: Path, clean_frame: pd.DataFrame, write_csv) -> None:
    run_gate(write_csv(clean_frame), project)
    first = sorted(p.name for p in (project / "governance" / "data_docs").rglob("*.html"))
    run_gate(write_csv(clean_frame.head(100), "second.csv"), project)
    docs = project / "governance" / "data_docs"
    pages = [p for p in docs.rglob("*.html") if "validations" in p.parts]
    assert len(pages) == 1
    assert "second.csv" in pages[0].name
    assert len(first) >= 3
    leftovers = [p.name for p in (project / "governance").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_no_contract_is_bad_input(tmp_path: Path, clean_frame: pd.DataFrame, write_csv) -> None:
    (tmp_path / "codesign.yaml").write_text(
        "schema_version: 1\nuse_case: {title: Empty}\n", encoding="utf-8"
    )
    with pytest.raises(GovernanceError, match="data_contract declares no columns"):
        run_gate(write_csv(clean_frame), tmp_path)
    assert not (tmp_path / "governance" / "results").exists()


def test_unwritable_governance_folder_is_bad_input(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    data = write_csv(clean_frame)
    (project / "governance").write_text("a file where a folder belongs", encoding="utf-8")
    with pytest.raises(GovernanceError, match="cannot write gate results there"):
        run_gate(data, project)
