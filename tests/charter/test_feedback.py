"""Feedback records: standard SUS scoring, CSV round trip, concurrent appends, bad rows."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pydantic import ValidationError

from codesign.charter.feedback import (
    FeedbackKind,
    FeedbackRecord,
    append_feedback,
    read_feedback,
)
from codesign.exceptions import DataError


def sus(*answers: int) -> FeedbackRecord:
    return FeedbackRecord(kind=FeedbackKind.SUS, respondent_role="triage nurse", sus=answers)


def test_sus_standard_scoring() -> None:
    # Best possible answers: 5 on odd items, 1 on even items.
    assert sus(5, 1, 5, 1, 5, 1, 5, 1, 5, 1).sus_score() == 100.0
    assert sus(1, 5, 1, 5, 1, 5, 1, 5, 1, 5).sus_score() == 0.0
    assert sus(3, 3, 3, 3, 3, 3, 3, 3, 3, 3).sus_score() == 50.0
    # Brooke's worked example: odd (4,4,4,3,4)-1 = 14, even 5-(2,1,2,1,2) = 17 -> 31 * 2.5
    assert sus(4, 2, 4, 1, 4, 2, 3, 1, 4, 2).sus_score() == 77.5


def test_incomplete_records_are_rejected() -> None:
    with pytest.raises(ValidationError, match="all 10 answers"):
        sus(3, 3, 3)
    with pytest.raises(ValidationError, match="less than or equal to 5"):
        sus(6, 3, 3, 3, 3, 3, 3, 3, 3, 3)
    with pytest.raises(ValidationError, match="task, minutes_with and minutes_without"):
        FeedbackRecord(kind=FeedbackKind.TIME_MOTION, respondent_role="nurse", minutes_with=3)


def test_csv_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "feedback" / "records.csv"
    records = [
        sus(4, 2, 4, 1, 4, 2, 3, 1, 4, 2),
        FeedbackRecord(
            kind=FeedbackKind.TRUST,
            respondent_role="triage nurse",
            trust={"trust_reliable": 4, "trust_safe": 3, "trust_local_item": 5},
        ),
        FeedbackRecord(
            kind=FeedbackKind.TIME_MOTION,
            respondent_role="triage nurse",
            task="triage",
            minutes_with=3.5,
            minutes_without=5,
            iteration="v2",
        ),
        FeedbackRecord(kind=FeedbackKind.REVIEW, respondent_role="physician", accurate=False),
    ]
    assert append_feedback(path, records) == 4
    again = read_feedback(path)
    assert again == records
    assert again[1].trust_score() == pytest.approx(4.0)
    assert again[2].minutes_saved() == pytest.approx(1.5)


def test_concurrent_appends_all_land(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"

    def add(n: int) -> None:
        for _ in range(5):
            append_feedback(path, [sus(3, 3, 3, 3, 3, 3, 3, 3, 3, n)])

    threads = [threading.Thread(target=add, args=(n,)) for n in range(1, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(read_feedback(path)) == 20


def test_bad_row_names_line_and_field(tmp_path: Path) -> None:
    path = tmp_path / "records.csv"
    path.write_text(
        "kind,respondent_role,sus_1,sus_2,sus_3,sus_4,sus_5,sus_6,sus_7,sus_8,sus_9,sus_10\n"
        "sus,nurse,3,3,3,3,3,3,3,3,3,3\n"
        "sus,nurse,3,3,3,3,3,3,3,3,3,9\n"
    )
    with pytest.raises(DataError, match=r"records.csv:3: sus.9: .*less than or equal to 5"):
        read_feedback(path)


def test_missing_and_foreign_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="feedback file not found"):
        read_feedback(tmp_path / "nope.csv")
    other = tmp_path / "predictions.csv"
    other.write_text("y_true,y_score\n1,0.3\n")
    with pytest.raises(DataError, match="not a feedback file"):
        read_feedback(other)


def test_a_french_spreadsheet_s_decimal_comma_is_read(tmp_path: Path) -> None:
    """Excel in French saves ``;`` between columns and ``3,5`` for three and a half minutes."""
    path = tmp_path / "records.csv"
    header = "kind;respondent_role;task;minutes_with;minutes_without\n"
    path.write_bytes((header + "time_motion;infirmier;triage;3,5;5\n").encode("cp1252"))
    (record,) = read_feedback(path)
    assert (record.minutes_with, record.minutes_saved()) == (3.5, 1.5)
    path.write_text(header + "time_motion;infirmier;triage;3,5,1;5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"records.csv:2: minutes_with: .*number"):
        read_feedback(path)
