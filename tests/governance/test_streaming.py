"""The gate reads a file in batches: the same result as one read, in bounded memory."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from codesign.charter import parse_charter, preset_text
from codesign.exceptions import GovernanceError
from codesign.fileio import sha256_file
from codesign.governance import GateOptions, run_gate
from codesign.governance.batches import NA_VALUES, Parsed, combined, parse_column
from codesign.governance.sources import FileSource
from codesign.tracking.predictions import read_predictions

CONTRACT = parse_charter(preset_text("triage")).data_contract
SMALL = GateOptions(data_docs=False, batch_rows=37)
WHOLE = GateOptions(data_docs=False, batch_rows=1_000_000)


def counts(result) -> dict[tuple[str, str], int]:
    return {(f.column, f.category): f.count for f in result.findings}


def same_both_ways(data: Path, project: Path):
    """The result of a gate read in batches of 37 rows, checked equal to one batch's."""
    batched = run_gate(data, project, SMALL)
    whole = run_gate(data, project, WHOLE)
    assert batched.to_dict() == whole.to_dict()
    assert batched.record.data_sha256 == whole.record.data_sha256 == sha256_file(data)
    return batched


def test_batches_give_the_result_of_one_read(project: Path, planted, write_csv) -> None:
    frame = planted.frame.copy()
    frame.loc[: len(frame) // 10, "arrival_hour"] = None  # completeness, summed over batches
    frame.loc[[5, 150, 390], "age"] = [150, 0, 130]  # ranges in three batches
    frame.loc[[3, 200], "sex"] = "X"
    result = same_both_ways(write_csv(frame), project)
    found = counts(result)
    assert found[("age", "range")] == 3
    assert found[("sex", "allowed")] == 2
    assert found[("arrival_hour", "completeness")] == len(frame) // 10 + 1
    assert {k: v for k, v in found.items() if k[1].startswith("phi.")} == planted.expected


def test_a_repeat_across_a_batch_boundary_is_found(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    frame = clean_frame.copy()
    frame.loc[len(frame) - 1, "encounter_id"] = frame.loc[0, "encounter_id"]  # first and last
    frame.loc[[36, 37], "encounter_id"] = "E-BOUNDARY"  # either side of the first cut
    result = same_both_ways(write_csv(frame), project)
    assert counts(result) == {("encounter_id", "allowed"): 4}


def test_identifiers_in_the_last_batch_are_found(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    frame = clean_frame.copy()
    last = len(frame) - 1
    frame["nurse_note"] = frame["nurse_note"].astype(object)
    frame.loc[last, "nurse_note"] = "Rappeler la fille au 06 12 34 56 78."
    result = same_both_ways(write_csv(frame), project)
    assert counts(result) == {("nurse_note", "phi.phone"): 1}


def test_a_column_that_turns_to_text_late_is_read_again(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    """The first batches say ``age`` holds numbers; the last says text: as pandas reads it."""
    frame = clean_frame.copy()
    frame["age"] = frame["age"].astype(object)
    frame.loc[len(frame) - 1, "age"] = "soixante"
    frame.loc[3, "age"] = "12.5"
    result = same_both_ways(write_csv(frame), project)
    assert counts(result) == {("age", "type"): 2}  # no range check on a text column
    whole = FileSource(write_csv(frame, "again.csv")).open(CONTRACT)
    assert whole.columns["age"].value == "text"


def test_a_column_missing_in_a_whole_batch_stays_numeric(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    frame = clean_frame.copy()
    frame.loc[:80, "age"] = None  # the first three batches hold no age at all
    frame.loc[200, "age"] = 140
    result = same_both_ways(write_csv(frame), project)
    assert counts(result)[("age", "range")] == 1


def test_pandas_reads_each_column_this_way() -> None:
    """A column is read as pandas' own parser reads it (``pd.read_csv`` on the same text)."""
    import io

    import pyarrow as pa

    cases = [
        [" 54", "+3", "054"],
        ["1e3", "1.", ".5"],
        ["inf", "-Infinity", "2"],
        ["1,5", "2"],
        ["0x1A", "3"],
        ["True", "false", "TRUE"],
        ["True", "1"],
        ["12", "70 ans"],
    ]
    for values in cases:
        text = "a,b\n" + "".join(f'"{v}",x\n' for v in values)
        expected = pd.read_csv(io.StringIO(text))["a"].dtype
        parsed = parse_column(pa.array(values))
        kinds = {"int64": Parsed.INTEGER, "float64": Parsed.FLOAT, "bool": Parsed.BOOLEAN}
        assert parsed is kinds.get(str(expected), Parsed.TEXT), values
    assert combined(Parsed.INTEGER, Parsed.EMPTY) is Parsed.FLOAT
    assert combined(Parsed.BOOLEAN, Parsed.EMPTY) is Parsed.BOOLEAN_OR_MISSING
    assert combined(Parsed.BOOLEAN, Parsed.INTEGER) is Parsed.TEXT


def test_missing_words_are_pandas_own() -> None:
    from pandas._libs.parsers import STR_NA_VALUES

    assert set(NA_VALUES) == set(STR_NA_VALUES)


# --- one CSV reader: the dialects check and track both read --------------------------------------


def _dialect_file(path: Path, frame: pd.DataFrame, dialect: str) -> Path:
    separator = {"pipe": "|", "utf16": "\t"}.get(dialect, ";" if dialect == "cp1252" else ",")
    text = frame.to_csv(index=False, sep=separator, lineterminator="\r\n")
    if dialect == "cp1252":
        data = text.encode("cp1252")
    elif dialect == "utf16":
        data = text.encode("utf-16")  # Excel's "Unicode text": a BOM, little-endian, tabs
    elif dialect == "bom":
        data = codecs.BOM_UTF8 + text.encode("utf-8")
    else:
        data = text.encode("utf-8")
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("dialect", ["pipe", "cp1252", "utf16", "bom"])
def test_check_and_track_read_every_dialect_alike(
    project: Path, clean_frame: pd.DataFrame, tmp_path: Path, dialect: str
) -> None:
    frame = clean_frame.head(90).copy()
    frame["chief_complaint"] = frame["chief_complaint"].astype(object)
    frame.loc[0, "chief_complaint"] = "Fièvre, céphalées"
    frame["contact"] = None
    frame.loc[4, "contact"] = "06 12 34 56 78"
    rng = np.random.default_rng(3)
    frame["y_true"] = rng.integers(0, 2, len(frame))
    frame["y_score"] = rng.random(len(frame)).round(4)
    plain = _dialect_file(tmp_path / "plain.csv", frame, "plain")
    other = _dialect_file(tmp_path / f"{dialect}.csv", frame, dialect)

    checked = run_gate(other, project, GateOptions(data_docs=False, batch_rows=25))
    expected = run_gate(plain, project, GateOptions(data_docs=False))
    assert checked.to_dict() == expected.to_dict()
    assert counts(checked)[("contact", "phi.phone")] == 1
    whole = FileSource(other).open(CONTRACT)
    assert whole.frame is not None
    assert whole.frame.loc[0, "chief_complaint"] == "Fièvre, céphalées"

    tracked = read_predictions(other, group_columns=["sex"])
    reference = read_predictions(plain, group_columns=["sex"])
    assert tracked.rows == reference.rows == len(frame)
    assert tracked.y_score is not None
    assert reference.y_score is not None
    assert list(tracked.y_score) == list(reference.y_score)


def test_gzip_extracts_are_still_read(
    project: Path, clean_frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "extract.csv.gz"
    clean_frame.to_csv(path, index=False, sep=";", compression="gzip")
    result = run_gate(path, project, SMALL)
    assert result.passed, result.summary()
    assert result.rows == len(clean_frame)
    assert result.record.data_sha256 == sha256_file(path)


# --- bad input: named, and nothing half written ---------------------------------------------------


def _nothing_written(project: Path) -> None:
    governance = project / "governance"
    assert not (governance / "results").exists()
    assert not (governance / "data_docs").exists()
    if governance.exists():
        assert [p.name for p in governance.iterdir()] == []


def test_a_ragged_row_deep_in_a_big_file_names_the_line(
    project: Path, clean_frame: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "cut.csv"
    lines = clean_frame.to_csv(index=False).splitlines(keepends=True)
    lines = lines + lines[1:] * 9  # 4,000 rows, several batches
    lines[3_456] = "E-99,12,54\n"  # a row cut short, the 3,457th line
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(GovernanceError) as error:
        run_gate(path, project, GateOptions(batch_rows=500))
    message = str(error.value)
    assert message.startswith(str(path))
    assert "at line 3457" in message
    assert "E-99" not in message
    _nothing_written(project)


def test_an_unterminated_quote_is_named_without_its_content(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "quote.csv"
    path.write_text('encounter_id,age\nE1,54\nE2,"60\nE3,61\n', encoding="utf-8")
    with pytest.raises(GovernanceError, match=r"not a readable CSV file \(at line 3\)") as error:
        run_gate(path, project)
    assert str(error.value).startswith(str(path))
    assert "60" not in str(error.value).replace(str(path), "")
    _nothing_written(project)


def test_a_bare_quote_inside_a_value_is_not_an_error(project: Path, tmp_path: Path) -> None:
    path = tmp_path / "inches.csv"
    path.write_text("encounter_id,age,nurse_note\nE1,54,taille 5'10\"\nE2,60,ok\n")
    result = run_gate(path, project, GateOptions(data_docs=False))
    assert result.rows == 2


def test_a_late_windows_1252_byte_reads_the_file_as_windows_1252(
    project: Path, clean_frame: pd.DataFrame, tmp_path: Path
) -> None:
    """The sample says UTF-8; a byte 1 MB in says otherwise: read again, as pandas did."""
    frame = clean_frame.copy()
    frame["chief_complaint"] = frame["chief_complaint"].astype(object)
    frame.loc[len(frame) - 1, "chief_complaint"] = "Fièvre"
    text = frame.to_csv(index=False)
    head, tail = text.rsplit("\n", 2)[0], "\n".join(text.rsplit("\n", 2)[1:])
    filler = frame.head(1).to_csv(index=False, header=False) * 8_000  # past the 64 KiB sample
    path = tmp_path / "late.csv"
    path.write_bytes(
        head.encode("ascii", "replace") + b"\n" + filler.encode() + tail.encode("cp1252")
    )
    result = run_gate(path, project, GateOptions(data_docs=False, batch_rows=5_000))
    assert result.rows == len(frame) + 8_000
    assert result.record.data_sha256 == sha256_file(path)


def test_fifos_and_symlink_loops_are_refused(project: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(GovernanceError, match=r"pipe\.csv: not a file but a named pipe"):
        run_gate(fifo, project)
    loop = tmp_path / "loop.csv"
    loop.symlink_to(tmp_path / "loop.csv")
    with pytest.raises(GovernanceError, match=r"loop\.csv: cannot read the file") as error:
        run_gate(loop, project)
    assert "symbolic links" in str(error.value)
    _nothing_written(project)


def test_data_docs_show_the_merged_result_once(
    project: Path, clean_frame: pd.DataFrame, write_csv
) -> None:
    frame = clean_frame.copy()
    frame.loc[[5, 300], "age"] = [150, 140]  # one in the first batch, one in the ninth
    result = run_gate(write_csv(frame), project, GateOptions(batch_rows=37))
    assert counts(result) == {("age", "range"): 2}
    docs = project / "governance" / "data_docs"
    pages = [p for p in docs.rglob("*.html") if "validations" in p.parts]
    assert len(pages) == 1
    page = pages[0].read_text(encoding="utf-8")
    assert "2 unexpected" in page
    leftovers = [p.name for p in (project / "governance").iterdir() if p.name.startswith(".")]
    assert leftovers == []
