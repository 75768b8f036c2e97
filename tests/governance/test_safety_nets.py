"""The last lines of defence: a result or a page that would show values is never published."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from codesign.exceptions import GovernanceError
from codesign.governance import docs, gx
from codesign.governance.plan import Check

CHECK = Check(
    "expect_column_values_to_be_in_set_when_present",
    {"column": "sex", "value_set": ["F", "M"]},
    "allowed",
    "sex",
)


def item(result: dict, *, raised: bool = False, message: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(
        expectation_config=SimpleNamespace(meta={"codesign_check": 0}),
        exception_info={"raised_exception": raised, "exception_message": message},
        result=result,
        success=False,
    )


def test_the_result_format_keeps_no_values() -> None:
    assert gx.RESULT_FORMAT["result_format"] == "BASIC"
    assert gx.RESULT_FORMAT["partial_unexpected_count"] == 0
    assert gx.RESULT_FORMAT["exclude_unexpected_values"] is True
    assert gx.RESULT_FORMAT["include_unexpected_rows"] is False
    assert gx.RESULT_FORMAT["return_unexpected_index_query"] is False


def test_a_result_keeping_values_is_refused() -> None:
    with pytest.raises(GovernanceError, match="keeps values"):
        gx._outcome(item({"unexpected_count": 1, "partial_unexpected_list": ["X"]}), [CHECK])
    outcome = gx._outcome(
        item({"unexpected_count": 2, "element_count": 9, "missing_count": 1}), [CHECK]
    )
    assert (outcome.unexpected, outcome.non_null) == (2, 8)


def test_an_expectation_that_raised_is_reported_without_its_message() -> None:
    failing = item({}, raised=True, message="could not convert 'Jean Dupont' to float")
    with pytest.raises(GovernanceError) as error:
        gx._outcome(failing, [CHECK])
    assert "Jean" not in str(error.value)
    assert "expect_column_values_to_be_in_set_when_present on column sex" in str(error.value)


def test_a_page_with_a_table_of_values_is_not_published(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "validations").mkdir(parents=True)
    (site / "validations" / "run.html").write_text(
        "<table><tr><th>Unexpected Value</th><th>Count</th></tr></table>", encoding="utf-8"
    )
    with pytest.raises(GovernanceError, match="refusing to publish Data Docs"):
        docs.publish(site, tmp_path)
    assert not (tmp_path / docs.DOCS_DIR).exists()
