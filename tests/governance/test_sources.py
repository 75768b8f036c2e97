"""Reading the data: formats, encodings, table URLs, and every bad input named clearly."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from codesign.charter import parse_charter, preset_text
from codesign.exceptions import GovernanceError
from codesign.governance.sources import ColumnKind, FileSource, TableSource, parse_source

CONTRACT = parse_charter(preset_text("triage")).data_contract


def open_file(path: Path):
    source = parse_source(path)
    assert isinstance(source, FileSource)
    return source.open(CONTRACT)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("empty.csv", b"", "the file is empty"),
        ("header.csv", b"age,sex\n", "no rows to check"),
        ("corrupt.parquet", b"PAR1 this is not parquet at all PAR1", "not a readable Parquet file"),
        ("notes.xlsx", b"PK\x03\x04 zipped", "unsupported format .xlsx"),
        ("ragged.csv", b"a,b\n1,2\n3,4,5,6\n", "not a readable CSV file (at line 3)"),
        ("twice.csv", b"age,age\n1,2\n", "repeats an earlier column"),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, name: str, content, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(GovernanceError) as error:
        open_file(path)
    assert str(error.value).startswith(str(path))
    assert message in str(error.value)


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(GovernanceError, match="not a file"):
        open_file(tmp_path)


def test_french_excel_csv_semicolons_and_windows_1252(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    text = "encounter_id;age;chief_complaint;nurse_note\nE1;54;Fièvre;tél 06 12 34 56 78\n"
    path.write_bytes(text.encode("cp1252"))
    batch = open_file(path)
    assert batch.rows == 1
    assert batch.columns["age"] is ColumnKind.NUMERIC
    assert batch.frame is not None
    assert batch.frame.loc[0, "chief_complaint"] == "Fièvre"


def test_text_columns_keep_leading_zeros(tmp_path: Path) -> None:
    path = tmp_path / "extract.csv"
    path.write_text("age,contact,nir\n54,0612345678,185057800608436\n", encoding="utf-8")
    batch = open_file(path)
    assert batch.frame is not None
    assert batch.frame.loc[0, "contact"] == "0612345678"  # undeclared: read as text
    assert batch.frame.loc[0, "nir"] == "185057800608436"  # forbidden: read as text
    assert batch.columns["contact"] is ColumnKind.TEXT


def test_nullable_numbers_become_numpy(tmp_path: Path) -> None:
    path = tmp_path / "extract.parquet"
    pd.DataFrame({"age": pd.array([54, None], dtype="Int64")}).to_parquet(path)
    batch = open_file(path)
    assert batch.frame is not None
    assert str(batch.frame["age"].dtype) == "float64"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://u:pw@db.example:5432/dw", "expected one ?table=NAME"),
        ("postgresql://u:pw@db.example:5432/dw?table=", "expected one ?table=NAME"),
        ("postgresql://u:pw@db.example:5432/dw?table=a&table=b", "expected one ?table=NAME"),
        ("postgresql://u:pw@db.example:5432/dw?table=x;drop", "is not a plain table name"),
        ("postgresql://u:pw@db.example:5432/dw?table=a.b.c", "is not a plain table name"),
        ("postgresql://u:pw@db.example:5432/?table=t", "names no database"),
        ("mysql://u:pw@db.example/dw?table=t", "unsupported data URL"),
    ],
)
def test_bad_table_urls(url: str, message: str) -> None:
    with pytest.raises(GovernanceError, match=message.replace("?", r"\?")) as error:
        parse_source(url)
    assert "pw" not in str(error.value)


def test_table_url_display_hides_credentials() -> None:
    source = parse_source(
        "postgresql://ana:s3cr%40t@db.example:6543/dw?table=ed.triage&sslmode=require"
    )
    assert isinstance(source, TableSource)
    assert source.display == "postgresql://db.example:6543/dw?table=ed.triage"
    assert (source.schema, source.table, source.asset_name) == ("ed", "triage", "ed.triage")
    assert "sslmode=require" in source.connection_url
    assert "table=" not in source.connection_url
    assert "s3cr" not in repr(source)
    assert source.redact("password s3cr@t for ana refused") == "password *** for *** refused"
