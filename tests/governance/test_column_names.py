"""Column names are data: a header that could hold an identifier is never shown nor kept."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from codesign.charter import parse_charter, preset_text
from codesign.governance import GateOptions, run_gate
from codesign.governance.columns import name_is_shown, shown_names
from codesign.synthetic import raw_extract

CONTRACT = parse_charter(preset_text("triage")).data_contract


@pytest.mark.parametrize(
    "name",
    ["age", "nurse_note", "patient_name", "nir", "contact_2", "Heure_Arrivee", "chief_complaint"],
)
def test_column_names_are_shown(name: str) -> None:
    assert name_is_shown(name, CONTRACT)


@pytest.mark.parametrize(
    "name",
    [
        "Élodie Leroux",  # the first patient's values, read as a header
        "298113118622578",
        "06 12 34 56 78",
        "Pte de 27 ans, douleur thoracique depuis 2 h.",
        "MORVAN",  # one word in capitals could be a surname
        "jean_dupont",  # an identifier in a column-like name
        "dupont_jean",
        "ipp_8001234567",
        "x" * 80,
        "42",
    ],
)
def test_names_that_could_be_data_are_hidden(name: str) -> None:
    assert not name_is_shown(name, CONTRACT)


def test_hidden_columns_go_by_position() -> None:
    assert shown_names(["age", "Élodie Leroux", "nurse_note"], CONTRACT) == [
        "age",
        "column 2",
        "nurse_note",
    ]


def first_row_values(frame: pd.DataFrame) -> list[str]:
    """Every value of the first row long enough to be searched for without chance matches."""
    return [str(v) for v in frame.iloc[0].tolist() if len(str(v)) >= 6]


def test_headerless_csv_leaks_nothing_of_its_first_row(
    tmp_path: Path, project: Path, run_cli, find_leaks, read_written
) -> None:
    # tail -n +2 raw.csv > nh.csv: the first patient's row becomes the header.
    planted = raw_extract(60, seed=4)
    raw = tmp_path / "raw.csv"
    planted.frame.to_csv(raw, index=False)
    headerless = tmp_path / "nh.csv"
    headerless.write_text(raw.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    canaries = first_row_values(planted.frame)
    assert any(" " in c for c in canaries)  # the name and the whole note are there

    as_json = run_cli("check", str(headerless), "--project", str(project), "--json")
    as_text = run_cli("check", str(headerless), "--project", str(project))

    assert as_json.returncode == as_text.returncode == 1, as_text.stderr
    findings = json.loads(as_json.stdout)["findings"]
    undeclared = {f["column"] for f in findings if f["category"] == "undeclared_column"}
    assert undeclared == {f"column {i}" for i in range(1, planted.frame.shape[1] + 1)}
    assert "column 15" in as_text.stdout  # patient_name, by position
    assert "header row missing" in as_text.stderr
    texts = {
        **read_written(project, skip=[project / "codesign.yaml"]),
        "json stdout": as_json.stdout,
        "json stderr": as_json.stderr,
        "text stdout": as_text.stdout,
        "text stderr": as_text.stderr,
    }
    assert any("/results/" in where for where in texts)
    assert any(where.endswith("latest.json") for where in texts)
    assert any(where.endswith(".html") for where in texts)
    assert find_leaks(texts, canaries) == []


def test_columns_named_like_identifiers_are_reported_by_position(
    project: Path, clean_frame: pd.DataFrame, write_csv, find_leaks, read_written
) -> None:
    frame = clean_frame.head(50).copy()
    named = {"06 12 34 56 78": "x", "MORVAN Hélène": "y", "263047511504290": "z"}
    for name, value in named.items():
        frame[name] = value
    result = run_gate(write_csv(frame), project, GateOptions())
    columns = {f.column for f in result.findings}
    width = clean_frame.shape[1]
    assert columns == {f"column {width + 1}", f"column {width + 2}", f"column {width + 3}"}
    texts = {
        **read_written(project, skip=[project / "codesign.yaml"]),
        "summary": result.summary(),
        "json": result.to_json(),
        "html": result._repr_html_(),
    }
    assert find_leaks(texts, list(named)) == []


def test_a_repeated_column_name_is_named_by_position(project: Path, tmp_path: Path) -> None:
    from codesign.exceptions import GovernanceError

    data = tmp_path / "twice.csv"
    data.write_text("MORVAN Hélène,age,MORVAN Hélène\n1,2,3\n", encoding="utf-8")
    with pytest.raises(GovernanceError, match="column 3") as error:
        run_gate(data, project)
    assert "MORVAN" not in str(error.value)
