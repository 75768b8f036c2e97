"""Reading a data file's columns for the contract: names and types, never a value."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from codesign.charter.model import ColumnType
from codesign.exceptions import CodesignError
from codesign.governance.header import ColumnGuess, read_columns

T = ColumnType


def kinds(guesses: list[ColumnGuess]) -> dict[str, ColumnType]:
    return {g.label: g.type for g in guesses}


def test_types_from_an_excel_style_semicolon_export(tmp_path: Path) -> None:
    rows = [
        "age;temperature;sex;arrived_at;birth_date;admitted;triage_note",
        *(
            f"{20 + i};{36 + i % 4},{i % 10};{'FM'[i % 2]};2026-03-0{1 + i % 9} 0{i % 10}:15;"
            f"{1 + i % 28:02d}/0{1 + i % 9}/19{50 + i % 40};{'oui' if i % 3 else 'non'};"
            f"pain for {i} hours, seen by nurse"
            for i in range(40)
        ),
    ]
    path = tmp_path / "extract.csv"
    path.write_bytes(("\ufeff" + "\r\n".join(rows) + "\r\n").encode("utf-8"))
    assert kinds(read_columns(path)) == {
        "age": T.INTEGER,
        "temperature": T.NUMBER,
        "sex": T.CATEGORY,
        "arrived_at": T.DATETIME,
        "birth_date": T.DATE,
        "admitted": T.BOOLEAN,
        "triage_note": T.TEXT,
    }


def test_empty_cells_and_na_do_not_decide_a_type(tmp_path: Path) -> None:
    path = tmp_path / "gaps.csv"
    path.write_text("score,comment\n3,\nNA,ok\n,\n5,fine\n", encoding="cp1252")
    assert kinds(read_columns(path)) == {"score": T.INTEGER, "comment": T.TEXT}


def test_a_missing_header_line_gives_positions_never_the_values(tmp_path: Path) -> None:
    canary = ("Jeanne MARTINEAU", "06 12 34 56 78", "2 63 04 75 115 042 31")
    path = tmp_path / "headerless.csv"
    path.write_text(
        f"{canary[0]},{canary[1]},{canary[2]},37.2\n"
        "Paul ROBIN,07 11 22 33 44,1 72 01 13 055 001 12,36.9\n",
        encoding="utf-8",
    )
    guesses = read_columns(path)
    assert [g.name for g in guesses][:3] == [None, None, None]
    assert [g.label for g in guesses][:3] == ["column 1", "column 2", "column 3"]
    assert not any(c in repr(guesses) for c in canary)


def test_parquet_is_read_from_its_schema(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "n": [1, 2],
            "x": [0.5, 1.5],
            "ok": [True, False],
            "when": pd.to_datetime(["2026-01-01", "2026-01-02"]),
            "ward": pd.Categorical(["A", "B"]),
            "note": ["a", "b"],
        }
    )
    path = tmp_path / "extract.parquet"
    frame.to_parquet(path)
    assert kinds(read_columns(path)) == {
        "n": T.INTEGER,
        "x": T.NUMBER,
        "ok": T.BOOLEAN,
        "when": T.DATETIME,
        "ward": T.CATEGORY,
        "note": T.TEXT,
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"a,b,a\n1,2,3\n", "the name of column 3 repeats"),
        (b"PAR1garbage", "not a readable Parquet"),
    ],
)
def test_bad_files_are_clear_errors(tmp_path: Path, content: bytes, expected: str) -> None:
    path = tmp_path / ("bad.parquet" if content.startswith(b"PAR1") else "bad.csv")
    path.write_bytes(content)
    with pytest.raises(CodesignError, match=expected):
        read_columns(path)


def test_a_fifo_is_refused_without_waiting(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(CodesignError, match=r"not a regular file|FIFO|named pipe"):
        read_columns(fifo)
    with pytest.raises(CodesignError, match="not found"):
        read_columns(tmp_path / "missing.csv")


def test_a_stray_byte_past_the_sniffed_start_does_not_stop_the_reading(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    body = "".join(f"{i},ok\n" for i in range(12000))  # past the 64 KB the dialect is read from
    path.write_bytes(("n,flag\n" + body).encode() + b"12001,caf\xe9\n")
    assert kinds(read_columns(path)) == {"n": T.INTEGER, "flag": T.CATEGORY}
