"""The suite derived from the contract and the batch's columns."""

from __future__ import annotations

from codesign.charter import parse_charter, preset_text
from codesign.governance.plan import plan_checks
from codesign.governance.sources import ColumnKind
from codesign.project import PHI_CATEGORIES

CONTRACT = parse_charter(preset_text("triage")).data_contract


def by_column(checks) -> dict[str | None, set[str]]:
    out: dict[str | None, set[str]] = {}
    for check in checks:
        out.setdefault(check.column, set()).add(check.category)
    return out


def test_triage_contract_on_its_own_columns() -> None:
    columns = {c.name: ColumnKind.TEXT for c in CONTRACT.columns if c.phi_mode.value != "forbidden"}
    columns.update(
        dict.fromkeys(["age", "heart_rate", "triage_level", "critical_care"], ColumnKind.NUMERIC)
    )
    plan = by_column(plan_checks(CONTRACT, columns))
    assert plan[None] == {"undeclared_column"}
    assert plan["age"] == {"missing_column", "type", "completeness", "range"}
    assert plan["heart_rate"] == {"type", "completeness", "range"}  # not required, 90 % filled
    assert plan["sex"] == {"missing_column", "completeness", "allowed"}
    assert plan["encounter_id"] == {"missing_column", "completeness", "unique"}  # phi: allowed
    assert plan["nurse_note"] == set(PHI_CATEGORIES)  # not required: no completeness
    assert plan["chief_complaint"] == {"missing_column", "completeness", *PHI_CATEGORIES}
    assert plan["patient_name"] == {"forbidden_column"}
    assert "range" not in plan["arrival_hour"]  # stored as text: the type check reports it


def test_undeclared_and_forbidden_columns_present_are_scanned() -> None:
    columns = {"age": ColumnKind.NUMERIC, "nir": ColumnKind.TEXT, "bed": ColumnKind.NUMERIC}
    plan = by_column(plan_checks(CONTRACT, columns))
    assert plan["nir"] == {"forbidden_column", *PHI_CATEGORIES}
    assert plan["bed"] == set(PHI_CATEGORIES)


def test_categories_coded_as_numbers_are_compared_as_numbers() -> None:
    contract = parse_charter(
        preset_text("blank").replace(
            "columns: []", "columns:\n    - {name: sex, type: category, allowed: ['1', '2']}"
        )
    ).data_contract
    (check,) = [
        c for c in plan_checks(contract, {"sex": ColumnKind.NUMERIC}) if c.category == "allowed"
    ]
    assert check.kwargs["value_set"] == [1, 2]
