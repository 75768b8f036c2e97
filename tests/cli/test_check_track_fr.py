"""``codesign check`` and ``codesign track`` in French: summaries, verdicts and errors.

A French team meets these in its terminal. The language is the charter's ``language: fr`` (the
French triage preset) or ``--lang fr``; numbers are written with a decimal comma and counts
grouped the French way; a bad input gives a clear French message and the same exit code as in
English; the ``--json`` documents keep their English keys.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from tests.french import NBSP

from codesign.charter import preset_text
from codesign.project import PHI_CATEGORIES
from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers


def assert_french_error(result: Any, message: str) -> None:
    """A bad input: exit 2, the French prefix, ``message``, and no traceback."""
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"codesign{NBSP}: erreur{NBSP}: "), result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


def test_check_speaks_the_charters_french(tmp_path: Path, run_cli: Any) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "codesign.yaml").write_text(preset_text("triage", "fr"), encoding="utf-8")
    clean = ed_extract(1200, seed=4)
    planted = plant_identifiers(
        clean, PlantOptions(counts=dict.fromkeys(PHI_CATEGORIES, 2), seed=2)
    )
    planted.frame.to_csv(tmp_path / "raw.csv", index=False)
    human = run_cli("check", str(tmp_path / "raw.csv"), "--project", str(project))
    assert human.returncode == 1, human.stderr
    first = human.stdout.splitlines()[0]
    assert first == f"Contrôle de gouvernance ÉCHOUÉ{NBSP}: raw.csv (1\u202f200 lignes)"
    assert f"numéros de téléphone{NBSP}: 2" in human.stdout
    assert f"Données identifiantes (nombre de valeurs{NBSP}; aucune" in human.stdout
    assert "Governance gate" not in human.stdout
    document = json.loads(
        run_cli("check", str(tmp_path / "raw.csv"), "--project", str(project), "--json").stdout
    )
    assert set(document) == {"passed", "rows", "findings"}, "the JSON keeps its English keys"


def test_check_bad_inputs_are_clear_french_errors(tmp_path: Path, run_cli: Any) -> None:
    project = tmp_path / "p"
    project.mkdir()
    (project / "codesign.yaml").write_text(preset_text("triage"), encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    (tmp_path / "notes.yaml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / "header.csv").write_text("age,sex\n", encoding="utf-8")
    cases = {
        "missing.csv": f"missing.csv{NBSP}: fichier introuvable",
        str(tmp_path / "empty.csv"): f"empty.csv{NBSP}: le fichier est vide",
        str(tmp_path / "notes.yaml"): "format non pris en charge .yaml (.csv ou .parquet attendu)",
        str(
            tmp_path / "header.csv"
        ): "aucune ligne à contrôler (l'extrait n'a au plus qu'un en-tête)",
    }
    for data, message in cases.items():
        assert_french_error(
            run_cli("--lang", "fr", "check", data, "--project", str(project)), message
        )


def _tracking_project(tmp_path: Path, data_dir: Path) -> Path:
    root = tmp_path / "sepsis"
    root.mkdir()
    shutil.copy(data_dir / "charter-tracking.yaml", root / "codesign.yaml")
    return root


def test_track_prints_its_verdicts_in_french(tmp_path: Path, data_dir: Path, run_cli: Any) -> None:
    project = _tracking_project(tmp_path, data_dir)
    predictions = data_dir / "predictions-small.csv"
    result = run_cli(
        "--lang", "fr", "track", str(predictions), "--project", str(project), "--no-feedback"
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"Itération «{NBSP}predictions-small-")
    assert f"gouvernance des données{NBSP}: non contrôlé" in lines[1]
    assert lines[3].split()[:3] == ["résultat", "mesure", "valeur"]
    table = {line.split()[0]: line for line in lines[5:] if line and not line[0].isdigit()}
    assert table["sens"].split() == ["sens", "sensitivity", "0,8", ">=", "0,75", "atteint"]
    assert table["spec"].split()[-2:] == ["NON", "ATTEINT"]
    assert lines[-1] == "8 atteint(s), 7 non atteint(s), 4 non mesuré(s)"


def test_track_bad_inputs_are_clear_french_errors(
    tmp_path: Path, data_dir: Path, run_cli: Any
) -> None:
    project = _tracking_project(tmp_path, data_dir)
    (tmp_path / "no-reference.csv").write_text("y_score\n0.4\n", encoding="utf-8")
    (tmp_path / "bad-values.csv").write_text("y_true,y_score\n1,0.5\n2,1.5\n", encoding="utf-8")
    cases = {
        "missing.csv": f"missing.csv{NBSP}: fichier de prédictions introuvable",
        str(tmp_path / "no-reference.csv"): (
            "colonne y_true manquante, la référence à laquelle comparer"
        ),
        str(tmp_path / "bad-values.csv"): f"colonne y_true{NBSP}: 1 ligne ni 0 ni 1",
    }
    for data, message in cases.items():
        assert_french_error(
            run_cli("--lang", "fr", "track", data, "--project", str(project)), message
        )


def test_the_charters_language_holds_before_the_charter_is_read(
    tmp_path: Path, run_cli: Any
) -> None:
    """A French charter alone (no --lang): the first error, a data file not found, is French."""
    project = tmp_path / "p"
    project.mkdir()
    (project / "codesign.yaml").write_text(preset_text("triage", "fr"), encoding="utf-8")
    for command in (["check", "absent.csv"], ["track", "absent.csv", "--no-feedback"]):
        result = run_cli(*command, "--project", str(project))
        assert_french_error(result, "introuvable")
        assert result.stderr.startswith(f"codesign{NBSP}: erreur{NBSP}: absent.csv{NBSP}: ")
    english = run_cli("check", "absent.csv", "--project", str(tmp_path))  # not a project
    assert english.returncode == 2
    assert "not a codesign project" in english.stderr
