"""``codesign check``: exit codes, one JSON document, clear errors, nothing identifying printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

from codesign.charter import preset_text
from codesign.project import PHI_CATEGORIES
from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers


def make_project(folder: Path) -> Path:
    folder.mkdir()
    (folder / "codesign.yaml").write_text(preset_text("triage"), encoding="utf-8")
    return folder


def test_exit_codes_and_json(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path / "p")
    clean = ed_extract(300, seed=4)
    clean.to_csv(tmp_path / "clean.csv", index=False)
    planted = plant_identifiers(
        clean,
        PlantOptions(counts=dict.fromkeys(PHI_CATEGORIES, 2), identity_columns=True, seed=2),
    )
    planted.frame.to_parquet(tmp_path / "raw.parquet", index=False)

    ok = run_cli("check", str(tmp_path / "clean.csv"), "--project", str(project), "--json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"passed": True, "rows": 300, "findings": []}
    assert ok.stdout.count("\n") == 1

    failed = run_cli(
        "-vv", "check", "raw.parquet", "--project", str(project), "--json", cwd=tmp_path
    )
    assert failed.returncode == 1, failed.stderr
    document = json.loads(failed.stdout)
    assert set(document) == {"passed", "rows", "findings"}
    assert document["passed"] is False
    found = {(f["column"], f["category"]): f["count"] for f in document["findings"]}
    assert {k: v for k, v in found.items() if k[1].startswith("phi.")} == planted.expected
    assert all(set(f) == {"column", "category", "count", "check"} for f in document["findings"])

    text = run_cli("check", "raw.parquet", cwd=project.parent, timeout=300)
    assert text.returncode == 2  # the folder above the project is not a project
    assert "not a codesign project" in text.stderr
    human = run_cli("check", str(tmp_path / "raw.parquet"), cwd=project)
    assert human.returncode == 1
    assert "Governance gate FAILED" in human.stdout
    assert "phone numbers: 2" in human.stdout

    printed = failed.stdout + failed.stderr + human.stdout + human.stderr
    forms = set(planted.canaries) | {
        re.sub(r"\D", "", c) for c in planted.canaries if len(re.sub(r"\D", "", c)) >= 9
    }
    assert [c for c in forms if c in printed] == []
    assert "DEBUG" in failed.stderr  # -vv really logged at debug level


def test_bad_inputs_exit_2_with_a_clear_message(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path / "p")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "bad.parquet").write_bytes(b"PAR1 garbage")
    cases = {
        "missing.csv": "missing.csv: no such file",
        str(tmp_path / "empty.csv"): "empty.csv: the file is empty",
        str(tmp_path / "bad.parquet"): "bad.parquet: not a readable Parquet file",
        "postgresql://u:hunter2@127.0.0.1:1/db": "expected one ?table=NAME",
        "postgresql://u:hunter2@127.0.0.1:1/db?table=t": "cannot connect to the database",
    }
    for data, message in cases.items():
        result = run_cli("check", data, "--project", str(project), "--json")
        assert result.returncode == 2, (data, result.stderr)
        assert message in result.stderr
        assert result.stdout == ""
        assert "hunter2" not in result.stderr
        assert "Traceback" not in result.stderr


def test_no_contract_exit_2(tmp_path: Path, run_cli) -> None:
    (tmp_path / "codesign.yaml").write_text(preset_text("blank"), encoding="utf-8")
    ed_extract(20, seed=1).to_csv(tmp_path / "x.csv", index=False)
    result = run_cli("check", "x.csv", cwd=tmp_path)
    assert result.returncode == 2
    assert "data_contract declares no columns" in result.stderr


def test_progress_only_on_a_terminal(tmp_path: Path, run_cli, monkeypatch) -> None:
    """Rows, bytes and time on a terminal's stderr; nothing in a pipe or with -q."""
    import io
    from types import SimpleNamespace

    from codesign.cli import check

    project = make_project(tmp_path / "p")
    data = tmp_path / "extract.csv"
    ed_extract(120, seed=3).to_csv(data, index=False)
    piped = run_cli("check", str(data), "--project", str(project))
    assert piped.returncode == 0, piped.stderr
    assert "rows" not in piped.stderr
    assert "\x1b" not in piped.stderr + piped.stdout
    quiet = run_cli("check", str(data), "--project", str(project), "-q")
    assert quiet.stderr == ""

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    for quiet_flag, shown in ((False, True), (True, False)):
        terminal = Terminal()
        monkeypatch.setattr("sys.stderr", terminal)
        args = SimpleNamespace(data=str(data), project=str(project), json=True, quiet=quiet_flag)
        assert check.run(args) == 0
        text = terminal.getvalue()
        assert ("120 rows" in text) is shown, text
        if shown:
            assert "checking" in text
            assert "encounter_id" not in text  # never a column name, never a value
            first_id = str(ed_extract(120, seed=3).loc[0, "encounter_id"])
            assert first_id not in text


def test_a_garbled_file_exits_2_naming_the_line(tmp_path: Path, run_cli) -> None:
    project = make_project(tmp_path / "p")
    lines = ed_extract(50, seed=1).to_csv(index=False).splitlines(keepends=True)
    lines[40] = lines[40].rstrip("\n") + ",extra,fields\n"
    data = tmp_path / "garbled.csv"
    data.write_text("".join(lines), encoding="utf-8")
    result = run_cli("check", str(data), "--project", str(project), "--json")
    assert result.returncode == 2
    assert result.stdout == ""
    assert "garbled.csv: not a readable CSV file (at line 41)" in result.stderr
    assert not (project / "governance" / "results").exists()
    assert not (project / "governance" / "data_docs").exists()
