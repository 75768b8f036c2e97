"""No patient data in a report: identifiers planted upstream never reach what a report writes.

The project's raw extract has names, NIR, phone numbers, e-mails, addresses and birth dates left
in (Faker ``fr_FR``), and goes through the governance gate; an iteration's predictions carry a
subgroup column whose values are patients' names. The report is then run with the command line,
and every byte it prints and every file it writes (the notebook, the HTML, the schedule state,
the MLflow artifacts of the report run) is searched for each planted value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from faker import Faker
from tests.conftest import found_in

from codesign.charter import load_charter
from codesign.charter.model import Outcome
from codesign.governance import GateOptions, run_gate
from codesign.project import Project
from codesign.scaffold import ProjectSpec, create_project
from codesign.synthetic import raw_extract
from codesign.tracking import IterationOptions, track

pytestmark = pytest.mark.slow


def forms(canaries: Iterable[str]) -> set[str]:
    """Each planted value, and the bare digits of phone numbers and NIR."""
    found = set(canaries)
    for value in canaries:
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 9:
            found.add(digits)
    return found


def test_planted_identifiers_never_reach_a_report(run_cli, tmp_path: Path) -> None:
    root = create_project(ProjectSpec.from_name("Triage", preset="triage"), tmp_path)
    file = load_charter(root)
    file.charter.outcomes = [
        *file.charter.outcomes,
        Outcome(
            id="ward_gap",
            title="Same sensitivity in every ward",
            category="equity",
            metric="subgroup_gap",
            target="<= 0.1",
            params={"metric": "sensitivity", "by": "ward", "levels": [1, 2]},
        ),
    ]
    file.save()
    project = Project.at(root)
    planted = raw_extract(300, seed=3)
    extract = project.data_dir / "raw.csv"
    planted.frame.to_csv(extract, index=False)
    assert not run_gate(extract, project=project, options=GateOptions(data_docs=False)).passed

    patients = [Faker("fr_FR").name() for _ in range(3)]
    rng = np.random.default_rng(5)
    level_true = rng.integers(1, 6, 300)
    predictions = pd.DataFrame(
        {
            "level_true": level_true,
            "level_pred": np.clip(level_true + rng.integers(-1, 2, 300), 1, 5),
            "sex": rng.choice(["F", "M"], 300),
            "ward": rng.choice(patients, 300),
        }
    )
    predictions_file = tmp_path / "predictions.csv"
    predictions.to_csv(predictions_file, index=False)
    # The gate failed on this extract; logging it anyway needs a recorded reason.
    overridden = IterationOptions(
        name="v1", data=extract, override_gate="planted identifiers, to check no report leaks one"
    )
    track(predictions_file, project=project, options=overridden)

    result = run_cli("report", "run", str(root), "--json")
    assert result.returncode == 0, result.stdout + result.stderr
    canaries = forms([*planted.canaries, *patients])
    inputs = extract.read_text(encoding="utf-8") + predictions_file.read_text(encoding="utf-8")
    assert all(p in inputs for p in patients)  # the search does find what is there
    assert sum(c in inputs for c in canaries) > 0.9 * len(planted.canaries)
    written = [
        *(root / "reports").iterdir(),
        *(p for p in (root / "mlruns" / "artifacts").rglob("report/*") if p.is_file()),
    ]
    assert any(p.suffix == ".html" for p in written)
    assert len([p for p in written if p.parent.name == "report"]) == 2  # the run's artifacts
    texts = {
        "stdout": result.stdout,
        "stderr": result.stderr,
        **{str(p): p.read_text(encoding="utf-8", errors="replace") for p in written},
    }
    leaks = [(where, c) for where, text in texts.items() for c in found_in(text, canaries)]
    assert leaks == []
    html = next(p for p in written if p.suffix == ".html").read_text(encoding="utf-8")
    assert "The gate failed" in html
    assert "person names" in html
