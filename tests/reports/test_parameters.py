"""Report parameters are checked before Papermill writes them into a notebook as code."""

from __future__ import annotations

import pytest

from codesign.exceptions import ReportError
from codesign.reports.parameters import parse_json_value, validate_parameters
from codesign.reports.runner import ReportOptions


def test_json_values_pass() -> None:
    given = {
        "threshold": 0.3,
        "weeks": 4,
        "title": "Semaine 12 — triage",
        "draft": False,
        "nothing": None,
        "sites": ["A", "B"],
        "limits": {"low": 1, "high": [2.5, None]},
    }
    assert validate_parameters(given) == given


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("1st", "letters, digits and underscores starting with a letter"),
        ("_private", "starting with a letter"),
        ("__builtins__", "starting with a letter"),
        ("a-b", "starting with a letter"),
        ("x; import os", "starting with a letter"),
        ("é", "starting with a letter"),
        ("x" * 65, "at most 64 characters"),
        ("class", "is a Python keyword"),
        ("match", "is a Python keyword"),
        ("project_dir", "is set by codesign for each project"),
    ],
)
def test_bad_names_are_refused(name: str, expected: str) -> None:
    with pytest.raises(ReportError, match="invalid report parameter") as caught:
        validate_parameters({name: 1})
    assert expected in str(caught.value)
    assert repr(name) in str(caught.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (float("nan"), "finite number"),
        (float("inf"), "finite number"),
        ([1, float("-inf")], "finite number"),
        ({1: "a"}, "text keys"),
        ({"a": {1, 2}}, "got a set"),
        (object(), "got a object"),
        (b"bytes", "got a bytes"),
    ],
)
def test_values_must_be_json_data(value: object, expected: str) -> None:
    with pytest.raises(ReportError, match=expected):
        validate_parameters({"x": value})


def test_every_bad_parameter_is_named_at_once() -> None:
    with pytest.raises(ReportError) as caught:
        validate_parameters({"ok": 1, "1bad": 2, "worse": float("nan")})
    message = str(caught.value)
    assert "'1bad'" in message
    assert "'worse'" in message
    assert "'ok'" not in message


def test_depth_and_size_are_bounded() -> None:
    deep: object = 1
    for _ in range(25):
        deep = [deep]
    with pytest.raises(ReportError, match="nested more than 20 levels"):
        validate_parameters({"x": deep})
    with pytest.raises(ReportError, match="bytes of JSON, expected at most 65536"):
        validate_parameters({"x": "a" * 70_000})


def test_json_text_from_the_command_line() -> None:
    assert parse_json_value("x", "0.5") == 0.5
    assert parse_json_value("x", '"text"') == "text"
    assert parse_json_value("x", '{"a": [1, null]}') == {"a": [1, None]}
    for bad in ("text", "NaN", "Infinity", "{'a': 1}", "0.5x"):
        with pytest.raises(ReportError, match="value is not JSON") as caught:
            parse_json_value("x", bad)
        assert "use -r NAME VALUE for plain text" in str(caught.value)


def test_options_validate_parameters_jobs_and_timeout() -> None:
    with pytest.raises(ReportError, match="'1x'"):
        ReportOptions(parameters={"1x": 1})
    with pytest.raises(ReportError, match="jobs: expected 1 to 64"):
        ReportOptions(jobs=0)
    with pytest.raises(ReportError, match="timeout: expected a number of seconds above 0"):
        ReportOptions(timeout=0)
    assert ReportOptions(parameters={"weeks": 4}).parameters == {"weeks": 4}


def test_deeply_nested_json_text_is_refused_without_recursing() -> None:
    text = "[" * 30_000 + "]" * 30_000  # under the size limit; json.loads would recurse
    with pytest.raises(ReportError, match="'abc': nested more than 20 levels deep"):
        parse_json_value("abc", text)
    with pytest.raises(ReportError, match="bytes of JSON, expected at most 65536"):
        parse_json_value("abc", "[" * 50_000 + "]" * 50_000)
    brackets_in_text = '["' + "[" * 30 + '", {"a": "]]]\\""}]'
    assert parse_json_value("x", brackets_in_text) == ["[" * 30, {"a": ']]]"'}]


@pytest.mark.parametrize("seconds", [float("inf"), float("nan"), -1.0, 1e300])
def test_a_timeout_must_be_a_finite_number_of_seconds(seconds: float) -> None:
    with pytest.raises(ReportError, match="timeout: expected a number of seconds above 0 and at"):
        ReportOptions(timeout=seconds)
