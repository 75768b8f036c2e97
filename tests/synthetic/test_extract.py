"""The synthetic ED extract: the triage contract's columns, plausible, reproducible."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from codesign.charter import parse_charter, preset_text
from codesign.synthetic import EXTENDED_COLUMNS, TRIAGE_COLUMNS, ed_extract, extended_contract


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return ed_extract(30_000, seed=3)


def test_columns_are_the_triage_contract(frame: pd.DataFrame) -> None:
    contract = parse_charter(preset_text("triage")).data_contract
    allowed = [c.name for c in contract.columns if c.phi_mode.value != "forbidden"]
    assert list(frame.columns) == list(TRIAGE_COLUMNS) == allowed


def test_same_seed_same_frame_other_seed_other_frame() -> None:
    assert ed_extract(500, seed=8).equals(ed_extract(500, seed=8))
    assert not ed_extract(500, seed=8).equals(ed_extract(500, seed=9))


def test_values_stay_in_the_contract(frame: pd.DataFrame) -> None:
    contract = parse_charter(preset_text("triage")).data_contract
    for column in contract.columns:
        if column.name not in frame.columns:
            continue
        values = frame[column.name]
        if column.range is not None:
            low, high = column.range
            assert values.dropna().between(low, high).all(), column.name
        if column.allowed is not None:
            assert values.dropna().isin(column.allowed).all(), column.name
        if column.required:
            assert values.notna().mean() >= contract.min_completeness, column.name
        if column.min_completeness is not None:
            assert values.notna().mean() >= column.min_completeness, column.name
    assert frame["encounter_id"].is_unique


def test_vital_signs_follow_acuity(frame: pd.DataFrame) -> None:
    by_level = frame.groupby("triage_level")
    heart, spo2 = by_level["heart_rate"].mean(), by_level["spo2"].mean()
    critical = by_level["critical_care"].mean()
    assert heart[1] > heart[3] > heart[5]
    assert spo2[1] < spo2[3] < spo2[5]
    assert critical[1] > 0.4 > critical[2] > critical[3] > critical[5]
    assert set(frame["triage_level"].unique()) == {1, 2, 3, 4, 5}
    assert by_level["age"].mean()[1] > by_level["age"].mean()[5]


def test_a_complaint_suggests_a_level_without_giving_it_away(frame: pd.DataFrame) -> None:
    from codesign.synthetic._vocab import COMPLAINTS

    typical = {c[0].upper() + c[1:]: lvl for lvl, cs in COMPLAINTS.items() for c, _ in cs}
    given = frame["triage_level"].astype(int)
    suggested = frame["chief_complaint"].map(typical)
    assert suggested.notna().all()
    # Most patients present with a complaint typical of their level, some with one of the
    # adjacent level (chest pain with reassuring signs is triaged 3), never further away.
    assert 0.62 < (suggested == given).mean() < 0.78
    assert (suggested - given).abs().max() == 1
    chest_pain = given[frame["chief_complaint"] == "Douleur thoracique"]
    assert set(chest_pain.unique()) == {1, 2, 3}


def test_notes_are_clinical_shorthand_full_of_numbers(frame: pd.DataFrame) -> None:
    notes = frame["nurse_note"].dropna()
    assert notes.str.contains(r"TA \d+/\d+", regex=True).mean() > 0.9
    assert notes.str.contains(r"SpO2 \d+%", regex=True).mean() > 0.9
    assert notes.str.contains(r"EVA \d+/10", regex=True).mean() > 0.8
    assert notes.str.contains(r"lot A\d{4}|box \d+|vu le \d\d/\d\d", regex=True).any()
    assert notes.str.len().median() > 100
    # a missing vital sign is missing from the note too
    no_rate = frame["resp_rate"].isna() & frame["nurse_note"].notna()
    assert not frame.loc[no_rate, "nurse_note"].str.contains("FR ", regex=False).any()


def test_missing_values_are_realistic(frame: pd.DataFrame) -> None:
    assert 0.08 < frame["resp_rate"].isna().mean() < 0.16
    assert frame["age"].notna().all()
    assert str(frame["heart_rate"].dtype) == "Int64"
    assert str(frame["nurse_note"].dtype) == "str"


def test_extended_extract_has_twenty_columns_three_free_text() -> None:
    wide = ed_extract(2_000, seed=1, extended=True)
    assert wide.shape[1] == 20
    contract = extended_contract(parse_charter(preset_text("triage")).data_contract)
    free_text = [
        c.name
        for c in contract.columns
        if c.name in wide.columns and c.type.value == "text" and c.phi_mode.value == "scan"
    ]
    assert free_text == ["chief_complaint", "nurse_note", "history"]
    assert [c.name for c in EXTENDED_COLUMNS] == list(wide.columns[14:])
    assert np.all(wide["diastolic_bp"].dropna() < wide["systolic_bp"].dropna().max())


def test_negative_rows_are_refused() -> None:
    with pytest.raises(ValueError, match="rows must be >= 0"):
        ed_extract(-1)
    assert ed_extract(0).empty
