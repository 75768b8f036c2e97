"""What does the portfolio cost, against parsing the same charters alone, in the same run?

A share of 300 projects (three folders of 100, across 38 sites) with 10 iterations each in
embedded MLflow stores, in varied states (stages, decisions, sign-offs, gate results, reports).
Timed, alternating, with imports warm:

1. the portfolio (discover, read charters, stores, gate results and reports, flag, write the
   HTML, CSV and JSON) of the first 100, 200 and 300 projects, against ``load_charter`` of the
   same 100, 200 and 300 charters. Goal: ratio <= 3 at each size, and a cost that grows
   linearly with the number of projects: parsing is linear, so the ratio stays level (the ratio
   at 300 within 1.25x of the ratio at 100).
2. ``codesign portfolio`` on the 300 against a ``python -c`` that parses the 300 charters (fresh
   processes, so both pay their imports). Goal: ratio <= 3.

The share is generated once (a scaffolded project, 10 iterations logged in it, copied and varied)
and cached under the temporary folder; ``--fresh`` rebuilds it.

    .venv/bin/python bench/portfolio.py [--rounds N] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from _common import VENV_BIN, alternate, report, time_call, time_command

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("MLFLOW_CONFIGURE_LOGGING", "false")
os.environ.pop("CODESIGN_TRACKING_URI", None)

PROJECTS = 300
BATCH = 100
ITERATIONS = 10
SITES = 38
CACHE = Path(tempfile.gettempdir()) / f"codesign-bench-portfolio-{PROJECTS}x{ITERATIONS}-v1"
STAGES = ("idea", "co-design", "pilot", "scaled", "retired")
DECISIONS = ("build", "buy", "partner", "partner")


# --- the share ------------------------------------------------------------------------------------


def template(work: Path) -> Path:
    """One scaffolded triage project with ITERATIONS iterations, good and bad in turn."""
    import pandas as pd

    from codesign.scaffold import ProjectSpec, create_project
    from codesign.tracking import IterationOptions, track

    project = create_project(ProjectSpec.from_name("Nurse triage assistant", preset="triage"), work)
    frame = pd.DataFrame({"level_true": [1, 2, 3, 4, 5] * 40, "sex": ["F", "M"] * 100})
    for i in range(ITERATIONS):
        shift = 0 if i % 3 else 1
        predictions = frame.assign(level_pred=(frame["level_true"] + shift).clip(upper=5))
        options = IterationOptions(name=f"v{i}", use_feedback=False)
        track(predictions, project=project, options=options)
    shutil.rmtree(project / ".git")
    return project


def vary(project: Path, index: int) -> None:
    """Give project ``index`` its own title, site, stage, decision, sign-off, gate and report."""
    import datetime as dt

    from codesign.charter import load_charter
    from codesign.project import GateRecord, Project, record_gate_result

    file = load_charter(project)
    charter = file.charter
    charter.use_case.title = f"Initiative {index:03d}"
    charter.use_case.site = f"Hospital {index % SITES:02d}"
    charter.use_case.stage = STAGES[index % len(STAGES)]  # type: ignore[assignment]
    charter.decision.choice = DECISIONS[index % len(DECISIONS)]  # type: ignore[assignment]
    if index % 7 == 0:
        charter.stakeholders = [s for s in charter.stakeholders if s.role != "clinical lead"]
    if index % 3 == 0:
        charter.sign("Dr A. Martin", "clinical lead")
    file.save()
    now = dt.datetime.now(dt.UTC)
    if index % 4:
        record_gate_result(
            Project.at(project),
            GateRecord(
                passed=index % 4 != 1,
                rows=1000,
                data_sha256=f"{index:064x}",
                source="extract.csv",
                charter_sha256=charter.content_sha256(),
                checked_at=now - dt.timedelta(days=index % 120),
            ),
        )
    if index % 2:
        stamp = (now - dt.timedelta(days=index % 30)).strftime("%Y%m%dT%H%M%SZ")
        for kind in ("ipynb", "html"):
            (project / "reports" / f"nurse-triage-assistant-{stamp}.{kind}").write_text("<p>r</p>")


def share() -> Path:
    """The cached share, generated when missing."""
    root = CACHE / "share"
    if (CACHE / ".complete").exists():
        return root
    shutil.rmtree(CACHE, ignore_errors=True)
    CACHE.mkdir(parents=True)
    print(f"generating {PROJECTS} projects x {ITERATIONS} iterations in {CACHE} ...", flush=True)
    base = template(CACHE / "template")
    for index in range(PROJECTS):
        batch = f"batch-{index // BATCH + 1}"
        target = root / batch / f"site-{index % SITES:02d}" / f"initiative-{index:03d}"
        shutil.copytree(base, target)
        vary(target, index)
    (CACHE / ".complete").write_text("ok\n")
    return root


# --- the measurements ---------------------------------------------------------------------------


def bench_sizes(root: Path, rounds: int) -> None:
    from codesign.charter import load_charter
    from codesign.portfolio import build_portfolio, write_portfolio
    from codesign.project import find_projects

    out = Path(tempfile.mkdtemp(prefix="codesign-bench-portfolio-out-"))
    per_project: dict[int, float] = {}
    ratios: dict[int, float] = {}
    try:
        for size in range(BATCH, PROJECTS + 1, BATCH):
            roots = [root / f"batch-{b + 1}" for b in range(size // BATCH)]
            projects = find_projects(roots)
            assert len(projects) == size, len(projects)

            def portfolio(roots: list[Path] = roots, size: int = size) -> None:
                built = build_portfolio(roots)
                assert len(built.initiatives) == size
                assert all(i.iterations == ITERATIONS for i in built.initiatives)
                write_portfolio(built, out)

            def charters(projects: list[Path] = projects) -> None:
                for project in projects:
                    load_charter(project)

            portfolio()
            ours, theirs = alternate(
                lambda: time_call(portfolio), lambda: time_call(charters), rounds
            )
            ratio = statistics.median(ours) / statistics.median(theirs)
            name = (
                f"portfolio of {size} projects x {ITERATIONS} iterations / {size} charters parsed"
            )
            ratios[size] = report(name, ours, theirs, "<= 3", ok=ratio <= 3)
            per_project[size] = statistics.median(ours) / size
    finally:
        shutil.rmtree(out, ignore_errors=True)
    # Charter parsing is linear in the number of charters: a ratio that stays level as the
    # share grows is a portfolio cost that grows linearly too, whatever the machine's load.
    growth = ratios[PROJECTS] / ratios[BATCH]
    print(
        "portfolio cost per project: "
        + ", ".join(f"{n}: {seconds * 1000:.1f} ms" for n, seconds in per_project.items())
        + f"; ratio at {PROJECTS} / ratio at {BATCH}: {growth:.2f} "
        f"(goal: linear, <= 1.25: {'met' if growth <= 1.25 else 'NOT met'})"
    )


def bench_commands(root: Path, rounds: int) -> None:
    out = Path(tempfile.mkdtemp(prefix="codesign-bench-portfolio-cmd-"))
    try:
        command = [str(VENV_BIN / "codesign"), "-q", "portfolio", str(root), "--out", str(out)]
        charters = [
            sys.executable, "-c",
            "import sys\n"
            "from codesign.charter import load_charter\n"
            "from codesign.project import find_projects\n"
            "for p in find_projects([sys.argv[1]]): load_charter(p)\n",
            str(root),
        ]  # fmt: skip
        time_command(command)
        time_command(charters)
        ours, theirs = alternate(
            lambda: time_command(command), lambda: time_command(charters), rounds
        )
        ratio = statistics.median(ours) / statistics.median(theirs)
        report(f"codesign portfolio, {PROJECTS} projects / python -c parsing {PROJECTS} charters",
               ours, theirs, "<= 3", ok=ratio <= 3)  # fmt: skip
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--fresh", action="store_true", help="regenerate the cached share")
    args = parser.parse_args()
    if args.fresh:
        shutil.rmtree(CACHE, ignore_errors=True)
    root = share()
    bench_sizes(root, args.rounds)
    bench_commands(root, args.rounds)


if __name__ == "__main__":
    main()
