"""``codesign evidence`` on a project with a hazard log and iterations, and on a blank one."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest
from tests.conftest import require_component
from tests.evidence.conftest import CANARY_COLUMN, CANARY_VALUE, GENERATED_AT, SCHEMA

from codesign.evidence import write_evidence
from codesign.evidence.build import FILES
from codesign.exceptions import EvidenceError
from codesign.tracking import read_iterations

ANNEX_TITLES = [
    "General description of the AI system",
    "Detailed description of the elements of the AI system and of its development process",
    "Monitoring, functioning and control of the AI system",
    "Appropriateness of the performance metrics",
    "Risk management system",
    "Changes made to the system through its lifecycle",
    "Harmonised standards and other specifications applied",
    "EU declaration of conformity",
    "Post-market monitoring plan",
]


@pytest.fixture(scope="module")
def written(tracked: Path, tmp_path_factory: pytest.TempPathFactory):  # -> EvidenceResult
    return write_evidence(tracked, generated_at=GENERATED_AT)


def _chai_schema():  # -> xmlschema.XMLSchema
    import xmlschema

    require_component(
        SCHEMA.is_file(), f"the CHAI v0.2 schema ({SCHEMA})", "check out ../shared/standards"
    )
    # allow="local": the xmldsig import resolves to xmlschema's bundled copy, never the network.
    return xmlschema.XMLSchema(str(SCHEMA), allow="local")


def test_every_file_is_written(written) -> None:
    assert sorted(p.name for p in written.folder.iterdir()) == sorted(FILES)
    assert written.folder == written.evidence.facts.project.root / "evidence"


def test_model_card_validates_and_holds_the_candidates_values(written, tracked: Path) -> None:
    from defusedxml import ElementTree

    schema = _chai_schema()
    card = written.folder / "model-card.xml"
    schema.validate(str(card))
    latest = read_iterations(tracked)[-1]
    assert latest.name == "v2"
    ns = {"mc": "https://mc.chai.org/v0.2/schema.xsd"}
    root = ElementTree.parse(card).getroot()
    assert root.findtext("mc:ReleaseInfo/mc:ReleaseVersion", namespaces=ns) == "v2"
    results = {}
    for block in ("UsefulnessUsabilityEfficacy", "FairnessEquity", "SafetyReliability"):
        for result in root.findall(f"mc:KeyMetrics/mc:{block}/mc:Results/mc:MetricResult", ns):
            results[(block, result.findtext("mc:Label", namespaces=ns))] = json.loads(
                result.findtext("mc:ValueJson", namespaces=ns) or "null"
            )
    assert results[("SafetyReliability", "Catch sepsis (sens)")]["value"] == pytest.approx(
        latest.value("sens"), abs=1e-6
    )
    gap = results[("FairnessEquity", "Equal sensitivity for women and men (sex_gap)")]
    assert gap["value"] == pytest.approx(latest.value("sex_gap"), abs=1e-6)
    assert gap["target"] == "<= 0.05"
    usability = results[("UsefulnessUsabilityEfficacy", "Easy to use (usability)")]
    assert usability["value"] == pytest.approx(latest.value("usability"), abs=1e-6)
    hazards = results[("SafetyReliability", "Hazards with an unacceptable residual risk")]
    assert hazards["value"] == 0


def test_candidate_can_be_chosen(tracked: Path, tmp_path: Path) -> None:
    result = write_evidence(tracked, out=tmp_path / "out", iteration="v1")
    assert result.evidence.candidate == "v1"
    with pytest.raises(EvidenceError, match="no iteration named 'v9'; iterations: v1, v2"):
        write_evidence(tracked, out=tmp_path / "other", iteration="v9")
    assert not (tmp_path / "other").exists()


def test_annex_iv_has_its_nine_sections_in_order(written) -> None:
    import docx

    markdown = (written.folder / "annex-iv.md").read_text(encoding="utf-8")
    headings = [line[3:] for line in markdown.splitlines() if line.startswith("## ")]
    assert headings == [f"{n}. {title}" for n, title in enumerate(ANNEX_TITLES, 1)]
    html = (written.folder / "annex-iv.html").read_text(encoding="utf-8")
    positions = [html.index(f"{n}. {title}") for n, title in enumerate(ANNEX_TITLES, 1)]
    assert positions == sorted(positions)
    document = docx.Document(str(written.folder / "evidence.docx"))
    level_1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert level_1 == [f"{n}. {title}" for n, title in enumerate(ANNEX_TITLES, 1)]


def test_items_name_their_sources_and_what_is_missing(written) -> None:
    data = json.loads((written.folder / "evidence.json").read_text(encoding="utf-8"))
    counts = {f["key"]: len(f["items"]) for f in data["frameworks"]}
    assert counts == {"annex-iv": 9, "tripod-ai": 27, "decide-ai": 17}
    items = {i["id"]: i for f in data["frameworks"] for i in f["items"]}
    risk = items["annex-iv.5"]
    assert risk["sources"][0] == "charter: risks"
    assert any(
        "H1: A septic patient is not flagged" in line
        and "= 15 (unacceptable)" in line
        and "residual 5×1 = 5 (ALARP)" in line
        for line in risk["content"]
    )
    assert "hazard H2 has a control without an owner" in risk["missing"]
    assert risk["status"] == "partial"
    assert items["annex-iv.1"]["status"] == "partial"
    assert items["annex-iv.1"]["missing"] == [
        "no target population stated (use_case.population)",
        "no build / buy / partner decision recorded (decision.choice)",
    ]
    assert items["annex-iv.1"]["sources"][:3] == [
        "charter: use_case.title",
        "charter: use_case.stage",
        "charter: intended_use.purpose",
    ]
    fairness = items["tripod-ai.14"]
    assert "no subgroup metric by age" in fairness["missing"]
    assert any(s.startswith("iteration: v2 (run ") for s in fairness["sources"])
    assert items["annex-iv.8"]["status"] == "missing"
    assert data["required_missing"] == ["annex-iv.1", "annex-iv.5", "tripod-ai.14"]
    assert data["candidate_iteration"] == "v2"


def test_same_store_gives_the_same_bytes(tracked: Path, tmp_path: Path) -> None:
    first = write_evidence(tracked, out=tmp_path / "a", generated_at=GENERATED_AT)
    second = write_evidence(tracked, out=tmp_path / "b", generated_at=GENERATED_AT)
    for name in FILES:
        assert (first.folder / name).read_bytes() == (second.folder / name).read_bytes(), name


def test_no_phi_value_or_undeclared_column_anywhere(written) -> None:
    for path in written.folder.iterdir():
        data = path.read_bytes()
        if path.suffix == ".docx":
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = b"".join(archive.read(name) for name in archive.namelist())
        for canary in (CANARY_VALUE, CANARY_COLUMN, "0612345678"):
            assert canary.encode() not in data, (path.name, canary)


def test_blank_project_lists_concrete_missing_items(blank: Path, run_cli) -> None:
    done = run_cli("evidence", "--project", str(blank), "--check")
    assert done.returncode == 1, done.stderr
    assert "required annex-iv.5 (Risk management system) is missing: no hazard log (risks)" in (
        done.stdout
    )
    data = json.loads((blank / "evidence" / "evidence.json").read_text(encoding="utf-8"))
    items = {i["id"]: i for f in data["frameworks"] for i in f["items"]}
    assert "no model iteration logged (codesign track)" in items["annex-iv.2"]["missing"]
    assert "no post-market monitoring schedule (reports.schedule)" in items["annex-iv.9"]["missing"]
    assert (
        "no human oversight described (intended_use.human_oversight)"
        in (items["annex-iv.3"]["missing"])
    )
    assert run_cli("evidence", "--project", str(blank)).returncode == 0
    _chai_schema().validate(str(blank / "evidence" / "model-card.xml"))


def test_bad_input_exits_2_and_writes_nothing(blank: Path, tmp_path: Path, run_cli) -> None:
    charter = blank / "codesign.yaml"
    charter.write_text(charter.read_text(encoding="utf-8") + "risks: [{id: H1}]\n", "utf-8")
    done = run_cli("evidence", "--project", str(blank))
    assert done.returncode == 2
    assert "risks[0].hazard: required field missing" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (blank / "evidence").exists()
    charter.write_text(
        charter.read_text(encoding="utf-8")
        .replace("risks: [{id: H1}]\n", "")
        .replace("annex-iv.9]", "annex-iv.9, annex-iv.10]"),
        "utf-8",
    )
    done = run_cli("evidence", "--project", str(blank))
    assert done.returncode == 2
    assert "unknown item(s) annex-iv.10" in done.stderr
    assert not (blank / "evidence").exists()


def test_refuses_a_symlinked_output_folder(blank: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (blank / "evidence").symlink_to(elsewhere)
    with pytest.raises(EvidenceError, match="symbolic link"):
        write_evidence(blank)
    assert os.listdir(elsewhere) == []


def test_a_symlinked_file_is_replaced_not_written_through(blank: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    (blank / "evidence").mkdir()
    (blank / "evidence" / "annex-iv.md").symlink_to(victim)
    write_evidence(blank)
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (blank / "evidence" / "annex-iv.md").is_symlink()
