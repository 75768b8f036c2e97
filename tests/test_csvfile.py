"""One CSV reader for every input: separators and encodings that spreadsheets write."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from codesign.charter.feedback import read_feedback
from codesign.csvfile import CsvDialect, sniff_bytes, sniff_csv
from codesign.exceptions import DataError
from codesign.tracking.predictions import read_predictions

ROWS = [
    ["y_true", "y_score", "sex", "site"],
    ["1", "0.92", "F", "Hôpital Nord"],
    ["0", "0.1", "M", "Sud"],
]


def write(path: Path, delimiter: str, encoding: str, *, bom: bool = False) -> Path:
    text = "\r\n".join(delimiter.join(row) for row in ROWS) + "\r\n"
    data = text.encode(encoding)
    path.write_bytes((codecs.BOM_UTF8 if bom else b"") + data)
    return path


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize(
    ("encoding", "bom", "expected"),
    [("utf-8", False, "utf-8"), ("utf-8", True, "utf-8-sig"), ("cp1252", False, "cp1252")],
)
def test_every_separator_and_encoding_reads_the_same(
    tmp_path: Path, delimiter: str, encoding: str, bom: bool, expected: str
) -> None:
    path = write(tmp_path / "p.csv", delimiter, encoding, bom=bom)
    assert sniff_csv(path) == CsvDialect(delimiter, expected)
    predictions = read_predictions(path, group_columns=["sex"])
    assert predictions.rows == 2
    assert predictions.y_score is not None
    assert list(predictions.y_score) == [0.92, 0.1]


def test_excel_unicode_text_is_utf16_with_tabs() -> None:
    data = "\t".join(ROWS[0]).encode("utf-16")
    assert sniff_bytes(data + "\r\n1\t0.5\tF\tx".encode("utf-16-le")) == CsvDialect("\t", "utf-16")


def test_separator_inside_quotes_does_not_count() -> None:
    sample = b'a|b|c\n"x, y, z"|2|3\n"p, q"|5|6\n'
    assert sniff_bytes(sample).delimiter == "|"


def test_a_multibyte_character_cut_at_the_sample_end_is_still_utf8() -> None:
    sample = ("a,b\n" + "é," * 10).encode("utf-8")[:-2]  # ends inside "é"
    assert sniff_bytes(sample).encoding == "utf-8"


def test_empty_fifo_and_missing_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"\n\n")
    with pytest.raises(DataError, match=r"empty\.csv: the file is empty"):
        sniff_csv(tmp_path / "empty.csv")
    with pytest.raises(DataError, match="not found"):
        sniff_csv(tmp_path / "missing.csv")
    fifo = tmp_path / "fifo.csv"

    os.mkfifo(fifo)
    with pytest.raises(DataError, match="not a regular file"):
        sniff_csv(fifo)


def test_feedback_from_a_french_excel_export(tmp_path: Path, data_dir: Path) -> None:
    original = (data_dir / "feedback-small.csv").read_text(encoding="utf-8")
    exported = tmp_path / "records.csv"
    exported.write_bytes(original.replace(",", ";").replace("\n", "\r\n").encode("cp1252"))
    assert read_feedback(exported) == read_feedback(data_dir / "feedback-small.csv")
