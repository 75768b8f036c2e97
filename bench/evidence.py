"""What does `codesign evidence` cost, against loading the same charters alone, in the same run?

One scaffolded triage project (intended use, hazard log) with 5 iterations in its embedded
MLflow store and a gate result, copied 300 times. Timed, alternating, with imports warm:

1. evidence for one project (gather, judge 53 items, render Annex IV HTML + Markdown + DOCX,
   TRIPOD+AI, DECIDE-AI, the CHAI model card and the JSON, write them atomically) against
   ``load_charter`` of that project;
2. evidence for the 300 projects in a loop against ``load_charter`` of the 300.

Goal: ratio <= 3 for the 300 (reading the charter is the floor: every document starts there).
The projects are generated once and cached under the temporary folder; ``--fresh`` rebuilds.

    .venv/bin/python bench/evidence.py [--rounds N] [--fresh]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import tempfile
from pathlib import Path

from _common import alternate, report, time_call

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_CONFIGURE_LOGGING", "false")
os.environ.pop("CODESIGN_TRACKING_URI", None)

PROJECTS = 300
ITERATIONS = 5
CACHE = Path(tempfile.gettempdir()) / f"codesign-bench-evidence-{PROJECTS}x{ITERATIONS}-v1"
GOAL = 3.0


def template(work: Path) -> Path:
    """One scaffolded triage project with ITERATIONS iterations and a gate result."""
    import pandas as pd

    from codesign.project import GateRecord, Project, record_gate_result
    from codesign.scaffold import ProjectSpec, create_project
    from codesign.tracking import IterationOptions, track

    project = create_project(ProjectSpec.from_name("Nurse triage assistant", preset="triage"), work)
    frame = pd.DataFrame({"level_true": [1, 2, 3, 4, 5] * 40, "sex": ["F", "M"] * 100})
    for i in range(ITERATIONS):
        shift = 0 if i % 2 else 1
        predictions = frame.assign(level_pred=(frame["level_true"] + shift).clip(upper=5))
        track(
            predictions, project=project, options=IterationOptions(name=f"v{i}", use_feedback=False)
        )
    where = Project.at(project)
    record_gate_result(
        where,
        GateRecord(
            passed=True,
            rows=200,
            data_sha256="0" * 64,
            source="extract.csv",
            charter_sha256=where.load_charter().charter.content_sha256(),
            checked_at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC),
        ),
    )
    shutil.rmtree(project / ".git", ignore_errors=True)
    return project


def projects(fresh: bool) -> list[Path]:
    """The 300 projects, generated once."""
    root = CACHE / "share"
    if fresh or not (CACHE / ".complete").exists():
        shutil.rmtree(CACHE, ignore_errors=True)
        CACHE.mkdir(parents=True)
        print(f"generating {PROJECTS} projects in {CACHE} ...", flush=True)
        base = template(CACHE / "template")
        for i in range(PROJECTS):
            shutil.copytree(base, root / f"p{i:03d}", symlinks=True)
        (CACHE / ".complete").write_text("ok\n")
    return sorted(p for p in root.iterdir() if p.is_dir())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fresh", action="store_true")
    args = parser.parse_args()

    from codesign.charter import load_charter
    from codesign.evidence import write_evidence

    folders = projects(args.fresh)
    out = Path(tempfile.mkdtemp(prefix="codesign-bench-evidence-out-"))
    try:
        write_evidence(folders[0], out=out / "warm")  # imports (python-docx, sqlite) warm

        def one() -> float:
            return time_call(lambda: write_evidence(folders[0], out=out / "one"))

        def one_charter() -> float:
            return time_call(lambda: load_charter(folders[0]))

        subject, baseline = alternate(one, one_charter, max(args.rounds, 1) * 10)
        report("evidence, 1 project vs its charter", subject, baseline, "none, for scale", ok=True)

        def many() -> float:
            return time_call(lambda: [write_evidence(f, out=out / f.name) for f in folders])

        def many_charters() -> float:
            return time_call(lambda: [load_charter(f) for f in folders])

        subject, baseline = alternate(many, many_charters, args.rounds)
        ratio = statistics.median(subject) / statistics.median(baseline)
        report(
            f"evidence, {len(folders)} projects in a loop vs their charters",
            subject,
            baseline,
            f"<= {GOAL:g}",
            ok=ratio <= GOAL,
        )
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
