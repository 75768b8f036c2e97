"""The data contract form: columns typed or read from a file of data/, saved with the others."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesign.charter import load_charter, preset_text
from codesign.widgets import Workshop
from codesign.widgets.contract import ContractForm

from .conftest import comments, visible


@pytest.fixture
def blank(tmp_path: Path) -> Path:
    """A project from the blank preset: no column declared, so the gate has nothing to check."""
    folder = tmp_path / "blank"
    (folder / "data").mkdir(parents=True)
    (folder / "codesign.yaml").write_text(preset_text("blank"), encoding="utf-8")
    return folder


@pytest.fixture
def contract(blank: Path) -> ContractForm:
    form = Workshop.open(blank).contract
    assert isinstance(form, ContractForm)
    return form


def saved_columns(form: ContractForm):  # type: ignore[no-untyped-def]
    return load_charter(form.session.path).charter.data_contract.columns


def test_columns_are_read_from_a_data_file_and_saved(contract: ContractForm, blank: Path) -> None:
    original = contract.session.path.read_text()
    (blank / "data" / "extract.csv").write_text(
        "age,sex,arrived_at\n"
        + "".join(f"{30 + i},{'FM'[i % 2]},2026-01-0{1 + i % 9}\n" for i in range(30)),
        encoding="utf-8",
    )
    contract.refresh_files()
    assert contract.file_choice.options == ("extract.csv",)
    contract.read_button.click()
    assert "3 column(s) added from extract.csv" in contract.messages.text
    contract.save_bar.save_button.click()
    columns = saved_columns(contract)
    assert [(c.name, c.type.value) for c in columns] == [
        ("age", "integer"),
        ("sex", "category"),
        ("arrived_at", "date"),
    ]
    assert all(c.allowed is None for c in columns)  # never a value from the data
    assert comments(contract.session.path.read_text()) == comments(original)
    contract.read_button.click()
    assert "No new column in extract.csv. 3 already declared" in contract.messages.text


def test_a_headerless_file_adds_no_name_that_could_be_a_patient(
    contract: ContractForm, blank: Path
) -> None:
    canary = "Odile LEMARCHAND"
    (blank / "data" / "raw.csv").write_text(
        f"{canary},06 12 34 56 78,72\nPaul ROBIN,07 11 22 33 44,64\n"
    )
    contract.refresh_files()
    contract.file_choice.value = "raw.csv"
    contract.read_button.click()
    text = contract.messages.text
    # a name, a phone number and a number are no column names: none is taken
    assert "The name of column 1, column 2, column 3 could hold patient data" in text
    assert "No new column in raw.csv" in text
    assert canary not in text
    assert contract.session.charter.data_contract.columns == []
    contract.save_bar.save_button.click()
    assert canary not in contract.session.path.read_text()


def test_a_column_typed_by_hand_with_a_range(contract: ContractForm) -> None:
    row = contract.table.draft
    row.cells[0].inputs[0].value = "heart_rate"
    row.cells[1].inputs[0].value = "integer"
    row.cells[2].inputs[0].value = True
    row.low.value, row.high.value = "20", "250"
    contract.table.add_button.click()
    assert contract.table.messages.text.startswith("Added")
    contract.save_bar.save_button.click()
    (column,) = saved_columns(contract)
    assert (column.name, column.type.value, column.required, column.range) == (
        "heart_rate",
        "integer",
        True,
        (20, 250),
    )


@pytest.mark.parametrize(
    ("low", "high", "message"),
    [
        ("20", "", "Range of “temp”: type both the minimum and the maximum, or neither"),
        ("abc", "40", "Minimum of “temp”: type a number such as 0 or 12.5"),
        ("42", "35,5", "expected [min, max] with min <= max"),
    ],
)
def test_a_bad_range_is_said_next_to_it_and_nothing_is_added(
    contract: ContractForm, low: str, high: str, message: str
) -> None:
    before = contract.session.path.read_bytes()
    row = contract.table.draft
    row.cells[0].inputs[0].value = "temp"
    row.cells[1].inputs[0].value = "number"
    row.low.value, row.high.value = low, high
    contract.table.add_button.click()
    assert message in visible(row.notes.value)
    assert contract.session.charter.data_contract.columns == []
    contract.save_bar.save_button.click()
    assert contract.session.path.read_bytes() == before


def test_a_decimal_comma_is_a_decimal_point(contract: ContractForm) -> None:
    row = contract.table.draft
    row.cells[0].inputs[0].value = "temp"
    row.cells[1].inputs[0].value = "number"
    row.low.value, row.high.value = "34,5", "42"
    contract.table.add_button.click()
    assert contract.session.charter.data_contract.columns[0].range == (34.5, 42)


def test_without_data_files_the_form_says_what_to_do(contract: ContractForm) -> None:
    assert contract.file_choice.options == ()
    assert contract.read_button.disabled
    assert "No CSV or Parquet file in the project's data folder" in contract.messages.text
