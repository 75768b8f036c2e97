"""A file share of projects in varied states, built once for the portfolio tests.

Projects are scaffolded with :mod:`codesign.scaffold` (the triage preset), iterations logged with
:func:`codesign.tracking.track` into real embedded MLflow stores, gate results kept with
:func:`codesign.project.record_gate_result`, reports named as the report runner names them. To
stay fast, one project is scaffolded and one store created, then copied and varied.

The tree is shared by the tests (session scope): a test that changes it works on a copy
(:func:`copy_tree`). Building it runs before the per-test ``isolated_home`` fixture, so it
isolates HOME and the tracking variables itself.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from codesign.charter import Charter, Stage, load_charter
from codesign.project import GateRecord, Project, record_gate_result

DATA = Path(__file__).resolve().parents[1] / "data"
SLUG = "nurse-triage-assistant"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
LONG_AGO = NOW - dt.timedelta(days=200)
ISOLATED = (
    "CODESIGN_TRACKING_URI",
    "CODESIGN_ARTIFACT_ROOT",
    "MLFLOW_TRACKING_URI",
    "MLFLOW_EXPERIMENT_NAME",
    "MLFLOW_EXPERIMENT_ID",
    "MLFLOW_RUN_ID",
)


@dataclass(frozen=True)
class Tree:
    """The share (``root``) and its projects by name; ``canaries`` were planted in one."""

    root: Path
    projects: dict[str, Path]
    canaries: tuple[str, ...]

    def __getitem__(self, name: str) -> Path:
        return self.projects[name]


def levels(good: bool) -> pd.DataFrame:
    """Triage predictions: the tool gets every level right, or sends everyone to level 5."""
    frame = pd.DataFrame({"level_true": [1, 2, 3, 4, 5, 1, 2, 3] * 4, "sex": ["F", "M"] * 16})
    frame["level_pred"] = frame["level_true"] if good else 5
    return frame


def edit_charter(root: Path, change: Callable[[Charter], object]) -> None:
    file = load_charter(root)
    change(file.charter)
    file.save()


def gate(root: Path, *, passed: bool, at: dt.datetime = NOW) -> None:
    project = Project.at(root)
    record_gate_result(
        project,
        GateRecord(
            passed=passed,
            rows=400,
            findings=[],
            data_sha256=("ab" if passed else "cd") * 32,
            source="extract.csv",
            charter_sha256=project.load_charter().charter.content_sha256(),
            checked_at=at,
        ),
    )


def report(root: Path, stamp: str, *kinds: str) -> None:
    for kind in kinds:
        (root / "reports" / f"{SLUG}-{stamp}.{kind}").write_text(f"<p>report {stamp}</p>")


def copy_project(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".git"))
    return target


def copy_tree(tree: Tree, target: Path) -> Tree:
    """A private copy of the share, for a test that changes it."""
    shutil.copytree(tree.root, target)
    projects = {name: target / path.relative_to(tree.root) for name, path in tree.projects.items()}
    return Tree(target, projects, tree.canaries)


@pytest.fixture(scope="session")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tree]:
    home = tmp_path_factory.mktemp("portfolio-home")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(home))
        mp.setenv("MLFLOW_DISABLE_TELEMETRY", "true")
        for name in ISOLATED:
            mp.delenv(name, raising=False)
        yield _build(tmp_path_factory.mktemp("portfolio-tree"))


def _build(work: Path) -> Tree:
    from faker import Faker

    from codesign.scaffold import ProjectSpec, create_project
    from codesign.synthetic import PlantOptions, ed_extract, plant_identifiers
    from codesign.tracking import IterationOptions, track

    quiet = IterationOptions(use_feedback=False)
    share = work / "share"
    base = create_project(
        ProjectSpec.from_name("Nurse triage assistant", preset="triage", site="CHU Nord"),
        work / "scaffolded",
    )
    # No required evidence: the evidence flag has tests of its own (and the sepsis project).
    edit_charter(base, lambda c: setattr(c.evidence, "required", []))
    tracked = copy_project(base, work / "tracked")
    edit_charter(tracked, _pilot)
    track(
        levels(good=True), project=tracked, options=IterationOptions(name="v1", use_feedback=False)
    )

    p: dict[str, Path] = {}
    p["good"] = copy_project(tracked, share / "site-a" / "triage-good")
    track(levels(good=True), project=p["good"], options=quiet)
    edit_charter(p["good"], lambda c: c.sign("Dr A. Martin", "clinical lead"))
    gate(p["good"], passed=True)
    report(p["good"], "20261001T070000Z", "ipynb", "html")
    report(p["good"], "20261102T070000Z", "ipynb", "html")
    (p["good"] / "reports" / "notes.html").write_text("not a report")

    p["regressing"] = copy_project(tracked, share / "site-a" / "triage-regressing")
    edit_charter(p["regressing"], lambda c: setattr(c.use_case, "title", "Triage at night"))
    track(levels(good=False), project=p["regressing"], options=quiet)
    edit_charter(p["regressing"], lambda c: c.sign("Dr A. Martin", "clinical lead"))
    gate(p["regressing"], passed=False)

    p["no-lead"] = copy_project(base, share / "site-b" / "sepsis")
    edit_charter(p["no-lead"], _without_lead)

    p["dormant"] = copy_project(base, share / "site-b" / "discharge-letters")
    edit_charter(p["dormant"], lambda c: setattr(c.use_case, "title", "Discharge letters"))
    edit_charter(p["dormant"], lambda c: c.sign("Dr A. Martin", "clinical lead", at=LONG_AGO))
    gate(p["dormant"], passed=True, at=LONG_AGO)
    _age(p["dormant"] / "codesign.yaml", LONG_AGO)

    p["outdated"] = copy_project(base, share / "site-b" / "bed-planning")
    edit_charter(p["outdated"], lambda c: c.sign("Dr A. Martin", "clinical lead"))
    edit_charter(p["outdated"], lambda c: setattr(c.use_case, "title", "Bed planning"))

    p["retired"] = copy_project(base, share / "site-c" / "old-pilot")
    edit_charter(p["retired"], _retired)

    fake = Faker("fr_FR")
    fake.seed_instance(2026)
    planted = plant_identifiers(
        ed_extract(60, seed=3),
        PlantOptions(counts={"phi.name": 3, "phi.phone": 3}, identity_columns=True, seed=4),
    )
    name, nir, phone = fake.name(), fake.ssn(), fake.phone_number()
    canaries = (*planted.canaries, name, nir, phone)
    p["canary"] = copy_project(tracked, share / "site-c" / "canary")
    edit_charter(p["canary"], lambda c: setattr(c.use_case, "title", "Imaging follow-up"))
    planted.frame.to_csv(p["canary"] / "data" / "extract.csv", index=False)
    predictions = levels(good=True).assign(patient=name, nir=nir, phone=phone)
    predictions.to_csv(p["canary"] / "data" / "predictions.csv", index=False)
    track(
        p["canary"] / "data" / "predictions.csv",
        project=p["canary"],
        options=IterationOptions(name=name, use_feedback=False),
    )

    p["invalid"] = share / "broken" / "invalid-charter"
    p["invalid"].mkdir(parents=True)
    shutil.copy(DATA / "charter-missing-title.yaml", p["invalid"] / "codesign.yaml")

    p["corrupt-store"] = copy_project(tracked, share / "broken" / "corrupt-store")
    edit_charter(p["corrupt-store"], lambda c: setattr(c.use_case, "title", "Corrupt store"))
    (p["corrupt-store"] / "mlruns" / "mlflow.db").write_bytes(b"this is not a database " * 64)

    p["garbage-gate"] = copy_project(base, share / "broken" / "garbage-gate")
    edit_charter(p["garbage-gate"], lambda c: setattr(c.use_case, "title", "Garbage gate"))
    results = p["garbage-gate"] / "governance" / "results"
    results.mkdir(parents=True)
    (results / "latest.json").write_text("{not a gate result")
    return Tree(share, p, tuple(canaries))


def _without_lead(charter: Charter) -> None:
    charter.use_case.title = "Sepsis alert"
    charter.use_case.site = "CH Sud"
    charter.stakeholders = [s for s in charter.stakeholders if s.role != "clinical lead"]
    charter.decision.choice = "build"  # type: ignore[assignment]


def _retired(charter: Charter) -> None:
    charter.use_case.title = "Old pilot"
    charter.use_case.stage = "retired"  # type: ignore[assignment]
    charter.stakeholders = []


def _age(path: Path, moment: dt.datetime) -> None:
    stamp = moment.timestamp()
    os.utime(path, (stamp, stamp))


def _pilot(charter: Charter) -> None:
    """At pilot, as a board decided it (a deployed stage with no reason would be flagged)."""
    charter.use_case.stage = Stage.PILOT
    charter.use_case.stage_reason = "Pilot approved by the medical board"
