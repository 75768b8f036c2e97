"""The counts of a batch taken without Great Expectations are the ones it reports.

The batches of a streamed file before the last are counted by
:func:`codesign.governance.conditions.batch_counts`; these tests run Great Expectations' own
validator on the same frames with the same suite and compare every count.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from codesign.charter import parse_charter, preset_text
from codesign.charter.model import Column, ColumnType, PhiMode
from codesign.exceptions import GovernanceError
from codesign.governance import conditions, gx
from codesign.governance.batches import ColumnKind
from codesign.governance.conditions import COUNTED, STRUCTURAL, UNIQUE, batch_counts
from codesign.governance.plan import Check, plan_checks
from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers

TRIAGE = parse_charter(preset_text("triage")).data_contract


def gx_counts(checks: list[Check], frame: pd.DataFrame, docs: Path) -> dict[int, tuple[Any, ...]]:
    """Great Expectations' counts of every column map check on ``frame``, by plan position."""
    library = gx.load()
    with gx._library_quiet(), gx._no_fingerprint():
        from great_expectations.validator.v1_validator import Validator

        context = gx._context(library, docs)
        asset = context.data_sources.add_pandas(name="extract").add_dataframe_asset(name="x")
        definition = asset.add_batch_definition_whole_dataframe("whole file")
        _, validation = gx._checkpoint(library, context, definition, checks)
        validator = Validator(
            batch_definition=validation.batch_definition,
            batch_parameters={"dataframe": frame},
            result_format=gx.RESULT_FORMAT,
        )
        items = validator.validate_expectation_suite(validation.suite).results
    found = {}
    for item in items:
        outcome = gx._outcome(item, checks)
        if "element_count" in outcome.result:
            result = outcome.result
            found[gx._index(item)] = (
                result.get("element_count"),
                result.get("missing_count"),
                result.get("unexpected_count"),
            )
    return found


def assert_same_counts(checks: list[Check], frame: pd.DataFrame, docs: Path) -> None:
    theirs = gx_counts(checks, frame, docs)
    ours = batch_counts(checks, frame)
    assert set(ours) == set(theirs) == {i for i, c in enumerate(checks) if c.expectation in COUNTED}
    for index, counts in theirs.items():
        if checks[index].expectation == UNIQUE:  # repeats are counted across batches instead
            assert ours[index][:2] == counts[:2]
        else:
            assert ours[index] == counts, checks[index]


def kinds(frame: pd.DataFrame) -> dict[str, ColumnKind]:
    from codesign.governance.batches import _pandas_kind

    return {str(c): _pandas_kind(frame[c]) for c in frame.columns}


def test_the_counts_of_a_planted_extract_are_great_expectations(tmp_path: Path) -> None:
    counts = dict.fromkeys(("phi.nir", "phi.phone", "phi.name", "phi.birthdate"), 5)
    planted = plant_identifiers(
        ed_extract(300, seed=3), PlantOptions(counts=counts, identity_columns=True, seed=4)
    )
    frame = planted.frame.copy()
    frame.loc[:40, "arrival_hour"] = np.nan
    frame.loc[[3, 9], "age"] = [150, -1]
    frame.loc[[4, 8], "sex"] = ["X", None]
    frame.loc[[5, 6], "encounter_id"] = "E-SAME"
    checks = plan_checks(TRIAGE, kinds(frame))
    assert {c.expectation for c in checks} == COUNTED | STRUCTURAL  # every kind of check
    assert_same_counts(checks, frame, tmp_path)


@pytest.mark.parametrize(
    ("values", "contract_type"),
    [
        ([1.0, 2.5, np.nan, 4.0], ColumnType.INTEGER),
        ([1, 2, 3, 4], ColumnType.BOOLEAN),
        ([0.0, 1.0, np.nan, 2.0], ColumnType.BOOLEAN),
        ([True, False, True, False], ColumnType.INTEGER),
        (["12", " 7 ", "x", None], ColumnType.INTEGER),
        (["1.5", "NaN", "1e3", ""], ColumnType.NUMBER),
        (["oui", "Non", "TRUE", "2"], ColumnType.BOOLEAN),
        (["2024-01-02", "02/01/2024", None, "2024-01-02T10:00"], ColumnType.DATE),
        (["2024-01-02T10:00Z", "x", None, "2024-01-02"], ColumnType.DATETIME),
        ([dt.date(2024, 1, 2), None, dt.date(2023, 5, 6), None], ColumnType.DATE),
        ([1, "a", None, 2.5], ColumnType.INTEGER),
        (["a", "b", None, "oui"], ColumnType.CATEGORY),
        ([1.0, 2.0, np.nan, 5.0], ColumnType.CATEGORY),
        (["Mme Durand", "rappeler au 06 12 34 56 78", None, "RAS"], ColumnType.TEXT),
    ],
)
def test_the_type_and_value_counts_are_great_expectations(
    tmp_path: Path, values: list[Any], contract_type: ColumnType
) -> None:
    frame = pd.DataFrame({"v": pd.Series(values, dtype=object if None in values else None)})
    if frame["v"].dtype == object and all(isinstance(v, str) or v is None for v in values):
        frame["v"] = frame["v"].astype("str").where(frame["v"].notna())
    allowed: dict[ColumnType, list[Any]] = {
        ColumnType.INTEGER: [1, 2],
        ColumnType.NUMBER: [1.5, 2],
        ColumnType.BOOLEAN: [True],
        ColumnType.CATEGORY: ["a", "oui", "1"],
    }
    column = Column(
        name="v",
        type=contract_type,
        required=True,
        range=(0, 3) if contract_type in (ColumnType.INTEGER, ColumnType.NUMBER) else None,
        allowed=allowed.get(contract_type),
        unique=True,
        phi=PhiMode.SCAN,
    )
    contract = TRIAGE.model_copy(update={"columns": [column]})
    checks = plan_checks(contract, kinds(frame))
    assert_same_counts(checks, frame, tmp_path)


def test_repeats_are_counted_on_whole_keys() -> None:
    """Two keys sharing their first 64 bits are not a repeat; a value seen twice is."""
    repeats = gx._Repeats()
    five = np.array([5], dtype="int64")
    repeats.add(pd.Series(five))
    repeats.add(pd.Series([5e-324, 2.5, np.nan]))  # the float of 1 bit: not 5's key
    repeats._numbers(five.view("float64"), tag=1)  # 5's bits as a float: same first half
    assert repeats.count() == 0
    repeats.add(pd.Series(["a", "b", None, "a"]))
    assert repeats.count() == 2
    repeats.add(pd.Series([5.0, 2.5]))  # 5.0 is the integer 5; 2.5 was seen
    assert repeats.count() == 6


def test_a_check_that_raised_while_counting_is_reported_without_its_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_args: object) -> None:
        msg = "cannot compare 'Jean Dupont'"
        raise TypeError(msg)

    monkeypatch.setattr(conditions, "in_set", refuse)
    check = Check(
        "expect_column_values_to_be_in_set_when_present",
        {"column": "sex", "value_set": ["F", "M"]},
        "allowed",
        "sex",
    )
    with pytest.raises(GovernanceError) as error:
        batch_counts([check], pd.DataFrame({"sex": ["F", "X"]}))
    assert "Jean" not in str(error.value)
    assert "expect_column_values_to_be_in_set_when_present on column sex" in str(error.value)
