"""``codesign charter validate|schema`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from ruamel.yaml import YAML

from codesign.charter import PRESETS, preset_text


def test_validate_valid(run_cli, data_dir: Path) -> None:
    result = run_cli("charter", "validate", str(data_dir / "charter-minimal.yaml"))
    assert result.returncode == 0, result.stderr
    assert 'valid charter "Sepsis early warning" (1 outcomes' in result.stdout


def test_validate_defaults_to_current_folder(run_cli, tmp_path: Path) -> None:
    (tmp_path / "codesign.yaml").write_text(preset_text("triage"))
    result = run_cli("charter", "validate", cwd=tmp_path)
    assert result.returncode == 0, result.stderr


def test_validate_notes_a_pilot_without_go_decision(run_cli, tmp_path: Path) -> None:
    text = preset_text("triage").replace("stage: co-design", "stage: pilot")
    assert "stage: pilot" in text
    (tmp_path / "codesign.yaml").write_text(text)
    result = run_cli("charter", "validate", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "stage pilot without a go decision" in json.loads(result.stdout)["stage_problem"]
    plain = run_cli("charter", "validate", cwd=tmp_path)
    assert "note: stage pilot without a go decision" in plain.stdout
    reason = text.replace("stage: pilot", "stage: pilot\n  stage_reason: Board decision")
    (tmp_path / "codesign.yaml").write_text(reason)
    backed = run_cli("charter", "validate", "--json", cwd=tmp_path)
    assert json.loads(backed.stdout)["stage_problem"] is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "charter-bad-target.yaml",
            ':19: outcomes[2].target: expected an operator and a number like ">= 0.95", got "high"',
        ),
        ("charter-alias-bomb.yaml", ":4: anchors and aliases"),
        ("charter-duplicate-keys.yaml", ":4: invalid YAML"),
    ],
)
def test_validate_invalid_exits_2_with_located_message(
    run_cli, data_dir: Path, name: str, expected: str
) -> None:
    result = run_cli("charter", "validate", str(data_dir / name))
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_validate_json(run_cli, data_dir: Path) -> None:
    ok = run_cli("charter", "validate", "--json", str(data_dir / "charter-minimal.yaml"))
    assert json.loads(ok.stdout)["valid"] is True
    bad = run_cli("charter", "validate", "--json", str(data_dir / "charter-unknown-metric.yaml"))
    assert bad.returncode == 2
    document = json.loads(bad.stdout)
    assert document["valid"] is False
    assert document["issues"][0]["loc"] == "outcomes[0].metric"
    assert document["issues"][0]["line"] == 8


def test_validate_missing_file(run_cli, tmp_path: Path) -> None:
    result = run_cli("charter", "validate", str(tmp_path / "nope.yaml"))
    assert result.returncode == 2
    assert "no charter here" in result.stderr


def test_schema_validates_every_preset(run_cli) -> None:
    result = run_cli("charter", "schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].endswith("2020-12/schema")
    validator = jsonschema.Draft202012Validator(schema)
    yaml = YAML(typ="safe")
    for name in PRESETS:
        document = yaml.load(preset_text(name))
        errors = list(validator.iter_errors(document))
        assert errors == [], (name, errors[:3])
    metric = schema["$defs"]["Outcome"]["properties"]["metric"]
    assert "sensitivity" in metric["enum"]


def test_usage_errors_exit_2(run_cli) -> None:
    assert run_cli().returncode == 2
    assert run_cli("no-such-command").returncode == 2
    assert run_cli("charter").returncode == 2
