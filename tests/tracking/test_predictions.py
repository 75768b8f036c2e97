"""Predictions files: the format, and every bad input with a clear error that quotes no value."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from faker import Faker

from codesign.exceptions import DataError
from codesign.fileio import sha256_file
from codesign.tracking.predictions import (
    ModelInputs,
    predictions_from_frame,
    predictions_from_model,
    read_predictions,
)


@pytest.fixture
def canary() -> str:
    """A French patient's name that must never appear in a message."""
    fake = Faker("fr_FR")
    fake.seed_instance(6)
    return fake.name()


def write(tmp_path: Path, text: str, name: str = "predictions.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, **kwargs: object) -> str:
    with pytest.raises(DataError) as caught:
        read_predictions(path, **kwargs)  # type: ignore[arg-type]
    return str(caught.value)


def test_reads_the_documented_columns_and_only_those(predictions_file: Path) -> None:
    predictions = read_predictions(predictions_file, group_columns=["sex", "absent"])
    assert predictions.rows == 10
    assert predictions.columns == ("y_true", "y_score", "y_pred", "level_true", "level_pred", "sex")
    assert predictions.sha256 == sha256_file(predictions_file)
    assert predictions.source == "predictions-small.csv"
    assert predictions.y_true is not None
    assert predictions.y_true.tolist() == [1, 1, 1, 1, 0, 0, 0, 0, 0, 1]
    assert predictions.has("sex")
    assert not predictions.has("case")  # an identifier column is never read
    assert not predictions.has("absent")
    assert "F" not in repr(predictions)
    assert repr(predictions).startswith("Predictions(source='predictions-small.csv', rows=10,")


def test_semicolon_csv_and_parquet_read_the_same(tmp_path: Path, predictions_file: Path) -> None:
    frame = pd.read_csv(predictions_file)
    semicolon = tmp_path / "export.csv"
    frame.to_csv(semicolon, sep=";", index=False)
    parquet = tmp_path / "export.parquet"
    frame.to_parquet(parquet, index=False)
    reference = read_predictions(predictions_file, group_columns=["sex"])
    for path in (semicolon, parquet):
        other = read_predictions(path, group_columns=["sex"])
        assert other.columns == reference.columns
        for column in ("y_true", "y_score", "y_pred", "level_true", "level_pred"):
            np.testing.assert_array_equal(getattr(other, column), getattr(reference, column))
        assert other.groups["sex"].tolist() == reference.groups["sex"].tolist()


def test_booleans_count_as_labels(tmp_path: Path) -> None:
    path = write(tmp_path, "y_true,y_pred\nTrue,true\nFALSE,0\n")
    predictions = read_predictions(path)
    assert predictions.y_true is not None
    assert predictions.y_pred is not None
    assert predictions.y_true.tolist() == [1, 0]
    assert predictions.y_pred.tolist() == [1, 0]


def test_missing_file(tmp_path: Path) -> None:
    assert error_of(tmp_path / "nope.csv") == f"{tmp_path / 'nope.csv'}: predictions file not found"


def test_empty_file_and_header_only(tmp_path: Path) -> None:
    assert "the predictions file is empty" in error_of(write(tmp_path, ""))
    assert "the predictions file is empty" in error_of(write(tmp_path, "\n\n", "blank.csv"))
    header_only = write(tmp_path, "y_true,y_score\n", "header.csv")
    assert error_of(header_only) == f"{header_only}: the predictions hold a header but no rows"


def test_unknown_suffix(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "y_true,y_pred\n1,1\n", "predictions.xlsx"))
    assert "unknown predictions file type '.xlsx'; expected .csv or .parquet" in message


def test_unreadable_files(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.csv"  # an older Excel export: Windows-1252, read as such
    latin1.write_bytes("y_true,y_pred,sex\n1,1,f\xe9minin\n".encode("latin-1"))
    assert list(read_predictions(latin1, group_columns=["sex"]).groups["sex"]) == ["féminin"]
    garbage = tmp_path / "garbage.parquet"
    garbage.write_bytes(b"PAR1 not really parquet \x00\x01\x02")
    assert "not a readable Parquet file" in error_of(garbage)
    broken = write(tmp_path, 'y_true,y_pred\n1,"1\n0,0\n', "broken.csv")
    assert "not a readable CSV file" in error_of(broken)


def test_structure_names_missing_columns_and_the_outcomes_needing_them(tmp_path: Path) -> None:
    needs = {"y_true": ["sens", "ranking"], "y_score": ["ranking"], "y_pred": ["sens"]}
    no_truth = write(tmp_path, "y_score,sex\n0.2,F\n")
    message = error_of(no_truth, needed_by=needs)
    assert (
        "missing column y_true, the reference to compare with (needed by outcomes ranking, sens)"
        in message
    )
    assert "(found columns: y_score, sex)" in message
    truth_only = write(tmp_path, "y_true,y_prob\n1,0.2\n", "typo.csv")
    message = error_of(truth_only, needed_by=needs)
    assert (
        "y_true is there but neither y_score nor y_pred (needed by outcomes ranking, sens)"
        in message
    )
    levels = write(tmp_path, "level_true\n1\n", "levels.csv")
    assert "missing column level_pred" in error_of(levels)
    nothing = write(tmp_path, "a,b\n1,2\n", "nothing.csv")
    message = error_of(
        nothing, needed_by={"level_true": ["under_triage"], "level_pred": ["under_triage"]}
    )
    assert (
        "no prediction columns; missing level_pred, level_true (needed by outcome under_triage)"
        in message
    )


def test_bad_values_are_counted_by_column_never_quoted(tmp_path: Path, canary: str) -> None:
    rows = [
        "y_true,y_score,y_pred,level_true,level_pred",
        "1,0.5,1,1,1",
        "2,0.5,1,1,1",  # y_true not 0/1
        f"{canary},1.5,1,1,1",  # y_true not a number, y_score above 1
        ",-0.1,1,0,1",  # y_true empty, y_score below 0, level_true not a level
        "0,,0.5,6,2.5",  # y_score empty, y_pred not 0/1, levels out of range / not whole
        "1,nan,1,3,3",  # y_score NaN
    ]
    message = error_of(write(tmp_path, "\n".join(rows) + "\n"))
    assert canary not in message
    assert "1.5" not in message
    assert "-0.1" not in message
    for expected in (
        "column y_true: 1 row empty (NaN)",
        "column y_true: 1 row not a number",
        "column y_true: 1 row not 0 or 1",
        "column y_score: 2 rows empty (NaN)",
        "column y_score: 2 rows outside 0 to 1",
        "column y_pred: 1 row not 0 or 1",
        "column level_true: 2 rows not a triage level 1 to 5",
        "column level_pred: 1 row not a triage level 1 to 5",
    ):
        assert expected in message
    assert message.startswith(f"{tmp_path / 'predictions.csv'}: 8 problem(s) in the predictions:")


def test_empty_subgroup_values_join_no_group(tmp_path: Path, canary: str) -> None:
    path = write(tmp_path, f"y_true,y_pred,sex\n1,1,F\n0,0,\n1,0,{canary}\n")
    predictions = read_predictions(path, group_columns=["sex"])
    assert predictions.groups["sex"].tolist() == ["F", None, canary]
    assert canary not in repr(predictions)


def test_frames_are_checked_like_files(predictions_file: Path) -> None:
    frame = pd.read_csv(predictions_file)
    from_frame = predictions_from_frame(frame, group_columns=["sex"])
    from_file = read_predictions(predictions_file, group_columns=["sex"])
    assert from_frame.columns == from_file.columns
    assert len(from_frame.sha256) == 64
    assert predictions_from_frame(frame.copy(), group_columns=["sex"]).sha256 == from_frame.sha256
    changed = frame.assign(y_score=frame["y_score"].where(frame.index != 0, 0.5))
    assert predictions_from_frame(changed, group_columns=["sex"]).sha256 != from_frame.sha256
    with pytest.raises(DataError, match="column y_score: 1 row outside 0 to 1"):
        predictions_from_frame(frame.assign(y_score=frame["y_score"].where(frame.index != 0, 7)))


def test_predictions_from_a_model(predictions_file: Path) -> None:
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    frame = pd.read_csv(predictions_file).assign(x1=lambda f: f["y_score"] * 3, x2=np.arange(10))
    features = frame[["x1", "x2"]]
    model = LogisticRegression().fit(features, frame["y_true"])
    predictions = predictions_from_model(model, frame, group_columns=["sex"])
    assert predictions.columns == ("y_true", "y_score", "y_pred", "sex")
    assert predictions.y_score is not None
    np.testing.assert_allclose(predictions.y_score, model.predict_proba(features)[:, 1])
    levels = DecisionTreeClassifier(random_state=0).fit(features, frame["level_true"])
    by_level = predictions_from_model(levels, frame, ModelInputs(output="level"))
    assert by_level.level_pred is not None
    assert by_level.level_pred.tolist() == levels.predict(features).tolist()
    with pytest.raises(DataError, match=r"lacks feature column\(s\) x9"):
        predictions_from_model(model, frame, ModelInputs(features=("x1", "x9")))


def test_nullable_booleans_in_parquet(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "y_true": pd.array([True, False, None], dtype="boolean"),
            "y_pred": pd.array([True, False, True], dtype="boolean"),
        }
    )
    path = tmp_path / "nullable.parquet"
    frame.to_parquet(path)
    assert "column y_true: 1 row empty (NaN)" in error_of(path)
    frame.loc[2, "y_true"] = True
    frame.to_parquet(path)
    predictions = read_predictions(path)
    assert predictions.y_true is not None
    assert predictions.y_true.tolist() == [1, 0, 1]


def test_a_repeated_prediction_column_is_refused(tmp_path: Path) -> None:
    disagreeing = write(tmp_path, "y_true,y_score,y_true\n1,0.9,0\n0,0.2,1\n")
    assert "column y_true appears 2 times; keep one" in error_of(disagreeing)
    frame = pd.DataFrame([[1, 0.9, 0]], columns=["y_true", "y_score", "y_true"])
    with pytest.raises(DataError, match="column y_true appears 2 times"):
        predictions_from_frame(frame)
    table = pa.table([[1, 0], [0.9, 0.2], [0, 1]], names=["y_true", "y_score", "y_true"])
    parquet = tmp_path / "repeated.parquet"
    pq.write_table(table, parquet)
    assert "column y_true appears 2 times" in error_of(parquet)


@pytest.mark.timeout(10)
def test_a_fifo_or_a_device_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "predictions.csv"
    os.mkfifo(fifo)
    assert "is a named pipe (FIFO), expected a regular file" in error_of(fifo)
    link = tmp_path / "zero.csv"
    link.symlink_to("/dev/zero")
    assert "is a device, expected a regular file" in error_of(link)
