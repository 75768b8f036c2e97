"""Loading charters: every rejection names the file, the field path and the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from codesign.charter import load_charter, parse_charter
from codesign.config import MAX_CHARTER_BYTES
from codesign.exceptions import CharterError

REJECTIONS = [
    # (file, field path, line, part of the message)
    (
        "charter-bad-target.yaml",
        "outcomes[2].target",
        19,
        'expected an operator and a number like ">= 0.95", got "high"',
    ),
    ("charter-duplicate-ids.yaml", "outcomes[1].id", 10, "duplicate 'sensitivity'"),
    ("charter-unknown-metric.yaml", "outcomes[0].metric", 8, 'did you mean "sensitivity"?'),
    ("charter-unknown-category.yaml", "outcomes[0].category", 7, 'got "fairness"'),
    ("charter-bad-cron.yaml", "reports.schedule", 5, "expected a cron expression"),
    ("charter-range-min-gt-max.yaml", "data_contract.columns[0].range", 6, "min 120 > max 0"),
    (
        "charter-unknown-field.yaml",
        "data_contract.min_completness",
        5,
        'did you mean "min_completeness"',
    ),
    ("charter-bad-timezone.yaml", "reports.timezone", 6, "IANA time zone"),
    ("charter-wrong-schema-version.yaml", "schema_version", 1, "formats 1 and 2, got 3"),
    ("charter-bad-params.yaml", "outcomes[0].params.threshold", 10, "less than 1"),
    ("charter-bad-params.yaml", "outcomes[1].params.metric", 16, "expected a binary metric"),
    ("charter-duplicate-columns.yaml", "data_contract.columns[2].name", 8, "duplicate 'age'"),
    ("charter-missing-title.yaml", "use_case.title", 2, "required field missing"),
    ("charter-duplicate-keys.yaml", "", 4, 'duplicate key "title"'),
    ("charter-alias-bomb.yaml", "", 4, "anchors and aliases"),
    ("charter-anchor.yaml", "", 2, "anchors and aliases"),
    ("charter-python-tag.yaml", "", 3, "explicit YAML tags"),
    ("charter-not-a-mapping.yaml", "", 1, "expected a mapping of fields"),
    ("charter-invalid-yaml.yaml", "", 4, "invalid YAML"),
]


@pytest.mark.parametrize(("name", "loc", "line", "fragment"), REJECTIONS)
def test_rejection_names_field_and_line(
    data_dir: Path, name: str, loc: str, line: int, fragment: str
) -> None:
    path = data_dir / name
    with pytest.raises(CharterError) as caught:
        load_charter(path)
    matching = [i for i in caught.value.issues if i.loc == loc and fragment in i.message]
    assert matching, f"no issue at {loc!r} with {fragment!r} in {caught.value.issues}"
    assert matching[0].line == line
    rendered = str(caught.value)
    assert f"{path}:{line}: " in rendered
    assert "Traceback" not in rendered


def test_all_problems_are_reported_together(data_dir: Path) -> None:
    text = (data_dir / "charter-minimal.yaml").read_text()
    text = text.replace('target: ">= 0.85"', "target: high").replace(
        "range: [0, 120]", "range: [120, 0]"
    )
    with pytest.raises(CharterError) as caught:
        parse_charter(text, "codesign.yaml")
    locs = {issue.loc for issue in caught.value.issues}
    assert locs == {"outcomes[0].target", "data_contract.columns[0].range"}


def test_strings_stay_as_written(data_dir: Path) -> None:
    charter = load_charter(data_dir / "charter-strings-kept.yaml").charter
    assert charter.use_case.title == "NO"
    assert charter.use_case.setting == "0123"
    assert charter.use_case.population == "1.10"
    assert charter.use_case.intended_users == ["yes", "007", "1e3"]
    assert charter.use_case.site is None
    assert charter.outcomes[0].title == "2024"
    assert charter.outcomes[0].owner == "ON"
    assert str(charter.outcomes[0].target) == ">= 0.850"
    assert charter.outcomes[0].target.value == pytest.approx(0.85)
    assert charter.data_contract.columns[0].allowed == ["yes", "no"]
    assert charter.data_contract.columns[1].allowed == [1, 2, 3]


def test_oversized_charter_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text("schema_version: 1\n" + "# padding\n" * (MAX_CHARTER_BYTES // 10 + 1))
    with pytest.raises(CharterError, match=r"more than the 1.0 MiB a charter may have; nothing"):
        load_charter(path)


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_text("schema_version: 1\nuse_case: " + "[" * 200 + "]" * 200 + "\n")
    with pytest.raises(CharterError, match="depth"):
        load_charter(path)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CharterError, match="no charter here"):
        load_charter(tmp_path)


def test_non_utf8_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "codesign.yaml"
    path.write_bytes(b"schema_version: 1\nuse_case:\n  title: caf\xe9\n")
    with pytest.raises(CharterError, match="not UTF-8"):
        load_charter(path)


def test_folder_resolves_to_its_charter(tmp_path: Path, data_dir: Path) -> None:
    (tmp_path / "codesign.yaml").write_bytes((data_dir / "charter-minimal.yaml").read_bytes())
    assert load_charter(tmp_path).charter.use_case.title == "Sepsis early warning"
