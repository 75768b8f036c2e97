"""``codesign demo`` tells the whole story in a folder: each step's artefacts are there and right.

The demo runs once, as a user runs it (the real CLI, no terminal), into a temporary folder; the
tests then read what each step left: the charter the workshop saved and signed, the two gate
results, the three iterations in the embedded MLflow store with their verdicts, the pilot
feedback, the comparison and the report's HTML. No planted identifier may appear in anything the
demo wrote or printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import found_in

from codesign.charter import Stage, load_charter
from codesign.charter.feedback import read_feedback
from codesign.project import Project, embedded_tracking_uri
from codesign.synthetic import raw_extract

pytestmark = pytest.mark.slow

SLUG = "nurse-triage-assistant"
ISOLATED = ("CODESIGN_TRACKING_URI", "CODESIGN_ARTIFACT_ROOT", "MLFLOW_TRACKING_URI")


@dataclass(frozen=True)
class Demo:
    folder: Path
    project: Path
    stdout: str
    stderr: str
    home: Path


def codesign(*args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ISOLATED}
    env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
    env["CODESIGN_TRACKING_URI"] = "http://127.0.0.1:9"  # the demo must not use a user's store
    return subprocess.run(
        [sys.executable, "-m", "codesign", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    home = tmp_path_factory.mktemp("demo-home")
    cwd = tmp_path_factory.mktemp("demo-cwd")
    result = codesign("demo", "--dir", "story", home=home, cwd=cwd)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    folder = cwd / "story"
    return Demo(folder, folder / SLUG, result.stdout, result.stderr, home)


def test_each_step_is_shown_in_order_with_its_time(demo: Demo) -> None:
    starts = re.findall(r"^\[(\d)/6\] ", demo.stdout, flags=re.M)
    assert starts == ["1", "2", "3", "4", "5", "6"]
    assert len(re.findall(r"done in \d+\.\d s", demo.stdout)) == 6


def test_step_1_scaffolds_the_triage_project_inside_the_folder(demo: Demo) -> None:
    assert sorted(p.name for p in demo.folder.iterdir()) == [".codesign-demo", SLUG]
    for notebook in ("00_workshop", "01_governance", "02_iterations", "03_feedback", "report"):
        assert (demo.project / "notebooks" / f"{notebook}.ipynb").is_file()


def test_step_2_the_workshop_saved_outcomes_and_signed_the_charter(demo: Demo) -> None:
    charter = load_charter(demo.project).charter
    assert charter.use_case.stage is Stage.PILOT
    added = next(o for o in charter.outcomes if o.id == "alert_precision")
    assert (added.metric, str(added.target)) == ("ppv", ">= 0.5")
    assert {(s.name, s.role) for s in charter.valid_signoffs()} == {
        ("Dr A. Martin", "clinical lead"),
        ("B. Lefèvre", "head triage nurse"),
        ("C. Nguyen", "data protection officer"),
    }
    assert "added outcome alert_precision" in demo.stdout


def test_step_3_the_raw_extract_fails_the_gate_and_the_deidentified_one_passes(
    demo: Demo,
) -> None:
    from codesign.fileio import sha256_file
    from codesign.project import gate_result_for

    project = Project.at(demo.project)
    raw = gate_result_for(project, sha256_file(demo.project / "data" / "ed_raw_extract.csv"))
    clean = gate_result_for(project, sha256_file(demo.project / "data" / "ed_extract.csv"))
    assert raw is not None
    assert clean is not None
    assert not raw.passed
    assert clean.passed
    assert {(f.column, f.category) for f in raw.findings} >= {
        ("nir", "phi.nir"),
        ("nir", "undeclared_column"),
        ("patient_name", "phi.name"),
        ("nurse_note", "phi.phone"),
    }
    assert "raw extract (8000 visits, identifiers left in): FAILED" in demo.stdout
    for shown in ("nir: ", "patient_name: ", "nurse_note: "):
        assert shown in demo.stdout
    assert "de-identified extract (8000 visits): passed" in demo.stdout
    assert (demo.project / "governance" / "data_docs" / "index.html").is_file()


def test_step_4_three_iterations_with_the_story_s_verdicts(demo: Demo) -> None:
    from codesign.tracking import read_iterations

    records = read_iterations(Project.at(demo.project))
    assert [r.name for r in records] == ["v1-rules", "v2-gbm-pilot", "v3-vendor"]
    ids = [o.id for o in load_charter(demo.project).charter.outcomes]
    verdict = {r.name: {i: r.verdict(i) for i in ids} for r in records}
    # The baseline under-triages; the improved model meets the safety and equity outcomes and,
    # piloted with nurses, the usability, trust and time outcomes; the vendor's history taught
    # its model to under-triage women: the equity outcome catches it.
    assert verdict["v1-rules"]["under_triage"] == "not met"
    assert verdict["v1-rules"]["usability"] == "not measured"
    assert all(v == "met" for v in verdict["v2-gbm-pilot"].values()), verdict["v2-gbm-pilot"]
    assert verdict["v3-vendor"]["sex_gap"] == "not met"
    assert all(r.governance == "passed" for r in records)


def test_step_4_the_pilot_feedback_names_the_improved_model(demo: Demo) -> None:
    records = read_feedback(demo.project / "feedback" / "records.csv")
    assert {r.iteration for r in records} == {"v2-gbm-pilot"}
    assert {r.kind for r in records} == {"sus", "trust", "time_motion"}


def test_step_4_the_vendor_handed_over_predictions_only(demo: Demo) -> None:
    header = (demo.project / "data" / "vendor_predictions.csv").read_text().splitlines()[0]
    assert header == "encounter_id,level_pred"


def test_step_5_the_comparison_is_printed(demo: Demo) -> None:
    assert "Iterations of nurse-triage-assistant: 3 (showing all)" in demo.stdout
    assert "Judged: v3-vendor: " in demo.stdout
    assert "not measured for v3-vendor; last measured on v2-gbm-pilot: " in demo.stdout
    assert re.search(r"^\s+under_triage\s+<= 0.05\s+0.236 NO\s", demo.stdout, flags=re.M)


def test_step_6_the_report_shows_the_iterations_against_the_targets(demo: Demo) -> None:
    reports = sorted((demo.project / "reports").glob(f"{SLUG}-*.html"))
    assert len(reports) == 1
    assert f"Report: {reports[0]}" in demo.stdout
    html = reports[0].read_text(encoding="utf-8")
    for code in ("load_report(", "project_dir =", 'class="jp-InputPrompt'):
        assert code not in html
    images = re.findall(r"<img [^>]*>", html)
    assert len(images) == 8  # one trend chart per outcome, all measured by some iteration
    assert all('src="data:image/png;base64,' in image for image in images)
    # The scorecard: the latest value of each outcome, as the comparison has it.
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)
    vendor = next(r for r in rows if "<code>sex_gap</code>" in r)
    assert "0.11" in vendor
    assert "v3-vendor" in vendor
    assert "Not met" in vendor
    # Each chart says in words what it draws: every iteration's value, oldest first.
    under = next(i for i in images if "Few patients triaged less urgent" in i)
    assert "0.236 (v1-rules), 0.029 (v2-gbm-pilot), 0.044 (v3-vendor)" in under


def test_the_closing_lines_say_how_to_look(demo: Demo) -> None:
    assert f"mlflow ui --backend-store-uri sqlite:///{demo.project}/mlruns/mlflow.db" in demo.stdout
    assert re.search(r"then open http://127\.0\.0\.1:5000/#/experiments/\d+/runs ", demo.stdout)
    assert f"codesign lab --project {demo.project}" in demo.stdout


def test_no_planted_identifier_leaves_the_data_folder(demo: Demo) -> None:
    canaries = raw_extract(8000, seed=2026).canaries
    assert len(canaries) > 16000
    written = [
        p
        for p in demo.project.rglob("*")
        if p.is_file() and "data" not in p.relative_to(demo.project).parts[:1]
    ]
    texts = [demo.stdout, demo.stderr]
    texts += [p.read_bytes().decode("utf-8", errors="replace") for p in written]
    blob = "\n".join(texts)
    leaked = found_in(blob, canaries)
    assert leaked == []


def test_running_again_keeps_the_demo_unless_forced(demo: Demo) -> None:
    before = sorted(p.name for p in (demo.project / "reports").iterdir())
    result = codesign("demo", "--dir", str(demo.folder), home=demo.home, cwd=demo.folder.parent)
    assert result.returncode == 2
    assert "holds an earlier demo; run again with --force to replace it" in result.stderr
    assert sorted(p.name for p in (demo.project / "reports").iterdir()) == before


def test_a_folder_that_is_not_a_demo_is_refused(tmp_path: Path) -> None:
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep")
    result = codesign("demo", "--dir", "mine", "--force", home=tmp_path, cwd=tmp_path)
    assert result.returncode == 2
    assert "not a codesign demo; nothing was changed" in result.stderr
    assert [p.name for p in (tmp_path / "mine").iterdir()] == ["notes.txt"]


def test_promote_refuses_the_vendor_and_approves_the_pilot(demo: Demo, tmp_path: Path) -> None:
    from mlflow import MlflowClient

    # codesign() points CODESIGN_TRACKING_URI at a dead address: promote is told the store.
    store = embedded_tracking_uri(demo.project)

    vendor = codesign(
        "promote",
        "v3-vendor",
        "--project",
        str(demo.project),
        "--tracking-uri",
        store,
        "--json",
        home=demo.home,
        cwd=demo.folder,
    )
    assert vendor.returncode == 1, vendor.stderr
    refusal = json.loads(vendor.stdout)
    missing = "\n".join(refusal["missing"])
    assert "outcome sex_gap: not met" in missing
    assert (
        "outcome usability (>= 70): not measured for v3-vendor; last measured on v2-gbm" in missing
    )
    assert not (demo.project / "decisions" / "promotions.json").exists()

    unknown = codesign(
        "promote",
        "v9",
        "--project",
        str(demo.project),
        "--tracking-uri",
        store,
        home=demo.home,
        cwd=demo.folder,
    )
    assert unknown.returncode == 2
    assert "expected one of: v1-rules, v2-gbm-pilot, v3-vendor" in unknown.stderr

    model = tmp_path / "model"
    model.mkdir()
    (model / "MLmodel").write_text("flavors: {}\n", encoding="utf-8")
    pilot = codesign(
        "promote",
        "v2-gbm-pilot",
        "--project",
        str(demo.project),
        "--tracking-uri",
        store,
        "--model-uri",
        str(model),
        "--by",
        "Dr A. Martin",
        home=demo.home,
        cwd=demo.folder,
    )
    assert pilot.returncode == 0, pilot.stdout + pilot.stderr
    # the workshop moved the demo to pilot with a reason: the go decision moves it to scaled
    assert "Promoted: v2-gbm-pilot promoted to scaled on " in pilot.stdout
    client = MlflowClient(tracking_uri=f"sqlite:///{demo.project}/mlruns/mlflow.db")
    version = client.get_model_version_by_alias(SLUG, "approved")
    assert version.source == str(model)
    kept = json.loads((demo.project / "decisions" / "promotions.json").read_text())
    decision = kept["promotions"][-1]
    assert decision["iteration"] == "v2-gbm-pilot"
    assert decision["decided_by"] == "Dr A. Martin"
    assert str(decision["model_version"]) == str(version.version)
    assert decision["standing"]["complete"] is True
