"""From a data contract to the list of checks the gate runs (the expectation suite, as data).

The plan is derived from the charter each time, never stored: the charter is the one source of
truth. It also depends on the batch's columns, as a person reading the contract would: a column
the data does not have gets no value check (a required one gets a ``missing_column`` finding), a
range is checked on a numeric column only (a column of text where numbers are declared gets a
``type`` finding instead), and every column that is free text (``phi: scan``, the default for
text), undeclared or forbidden is scanned for identifying information.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from codesign.charter.model import ColumnType, PhiMode
from codesign.governance.sources import ColumnKind
from codesign.project import PHI_CATEGORIES

if TYPE_CHECKING:
    from codesign.charter.model import Column, DataContract

CHECKED_TYPES = frozenset(
    {
        ColumnType.INTEGER,
        ColumnType.NUMBER,
        ColumnType.BOOLEAN,
        ColumnType.DATE,
        ColumnType.DATETIME,
    }
)
"""Contract types checked value by value; ``category`` and ``text`` accept any value."""


@dataclass(frozen=True)
class Check:
    """One expectation of the suite, and the finding it produces when it fails."""

    expectation: str
    """The Great Expectations expectation type, e.g. ``expect_column_values_to_be_between``."""
    kwargs: dict[str, Any] = field(hash=False)
    category: str
    """The rule: a finding category of DESIGN.md section 5, or ``unique``/``forbidden_column``,
    which are reported under their nearest category (:func:`reported_category`)."""
    column: str | None = None


_REPORTED = {"forbidden_column": "undeclared_column", "unique": "allowed"}


def reported_category(rule: str) -> str:
    """The DESIGN.md category a rule's finding is reported under (see FINDING_CATEGORIES)."""
    return _REPORTED.get(rule, rule)


def plan_checks(contract: DataContract, columns: dict[str, ColumnKind]) -> list[Check]:
    """The checks for data with ``columns`` (name to kind, in the data's order)."""
    checks = [
        Check(
            "expect_table_columns_to_be_declared",
            {"column_set": [c.name for c in contract.columns]},
            "undeclared_column",
        )
    ]
    for column in contract.columns:
        checks += _column_checks(column, contract, columns.get(column.name))
    for name in columns:
        declared = contract.column(name)
        if declared is None or declared.phi_mode is PhiMode.FORBIDDEN:
            checks += _phi_checks(name)
    return checks


def _column_checks(column: Column, contract: DataContract, kind: ColumnKind | None) -> list[Check]:
    name = column.name
    if column.phi_mode is PhiMode.FORBIDDEN:
        return [Check("expect_column_to_be_absent", {"column": name}, "forbidden_column", name)]
    checks: list[Check] = []
    if column.required:
        checks.append(Check("expect_column_to_exist", {"column": name}, "missing_column", name))
    if kind is None:
        return checks
    if column.type in CHECKED_TYPES:
        checks.append(
            Check(
                "expect_column_values_to_match_contract_type",
                {"column": name, "contract_type": column.type.value},
                "type",
                name,
            )
        )
    if column.required or column.min_completeness is not None:
        mostly = (
            column.min_completeness
            if column.min_completeness is not None
            else contract.min_completeness
        )
        checks.append(
            Check(
                "expect_column_values_to_not_be_null",
                {"column": name, "mostly": mostly},
                "completeness",
                name,
            )
        )
    if column.range is not None and kind is ColumnKind.NUMERIC:
        low, high = column.range
        checks.append(
            Check(
                "expect_column_values_to_be_between_when_present",
                {"column": name, "min_value": low, "max_value": high},
                "range",
                name,
            )
        )
    if column.allowed is not None:
        value_set = _comparable_values(column, kind)
        if value_set is not None:
            checks.append(
                Check(
                    "expect_column_values_to_be_in_set_when_present",
                    {"column": name, "value_set": value_set},
                    "allowed",
                    name,
                )
            )
    if column.unique:
        checks.append(
            Check(
                "expect_column_values_to_be_unique_when_present", {"column": name}, "unique", name
            )
        )
    if column.phi_mode is PhiMode.SCAN:
        checks += _phi_checks(name)
    return checks


def _phi_checks(name: str) -> list[Check]:
    return [
        Check(
            "expect_column_values_to_contain_no_phi",
            {"column": name, "category": category},
            category,
            name,
        )
        for category in PHI_CATEGORIES
    ]


def _comparable_values(column: Column, kind: ColumnKind) -> list[Any] | None:
    """The allowed values as the column stores them, or None when they cannot be compared.

    A category coded as numbers (``allowed: ["1", "2"]``) in a numeric column is compared as
    numbers; integer or number contracts on a text column are left to the type check.
    """
    values = list(column.allowed or [])
    if kind is ColumnKind.TEMPORAL:
        return None
    if column.type in (ColumnType.INTEGER, ColumnType.NUMBER):
        return values if kind is ColumnKind.NUMERIC else None
    if column.type is ColumnType.BOOLEAN:
        if kind is ColumnKind.BOOLEAN:
            return values
        return [int(bool(v)) for v in values] if kind is ColumnKind.NUMERIC else None
    if kind is ColumnKind.NUMERIC:
        return [n for n in (_number(v) for v in values) if n is not None]
    return [str(v) for v in values]


def _number(value: object) -> int | float | None:
    try:
        number = float(str(value))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number
