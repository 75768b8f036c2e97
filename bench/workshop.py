"""How fast is the workshop app ready, and do 20 people saving ratings at once all land?

1. Ready page. The subject is what a facilitator does: ``codesign workshop --no-browser`` on a
   scaffolded triage project, then the facilitator page opened in Chromium, until the consensus
   board is shown (a fresh kernel has run the page). The baseline is a Voilà page of a
   notebook holding one slider, served the same way (the same server command, extensions and
   configuration, only the root folder and page differ), until the slider is shown. Each round
   starts a new server for each; they alternate. Goal: ratio of medians <= 1.5.
2. Twenty participants. Twenty processes, released at once by a barrier, each save one
   person's ratings of a round (:meth:`RatingStore.save`); the baseline is one save alone.
   Goal: all 20 kept (each file read back, right role and scores), median save <= 0.2 s.

    .venv/bin/python bench/workshop.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import alternate, report
from codesign.charter.ratings import Rating, RatingStore
from codesign.jupyter.launcher import probe_status
from codesign.jupyter.workshop import WorkshopOptions, workshop_command
from codesign.project import Project
from codesign.scaffold import ProjectSpec, create_project

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SLIDER = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "id": "slider",
            "metadata": {},
            "outputs": [],
            "source": "import ipywidgets\n\nipywidgets.IntSlider(description='One slider')",
        }
    ],
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


def jupyter_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        IPYTHONDIR=str(home / "ipython"),
    )
    env.pop("JUPYTER_TOKEN", None)
    return env


def _open_until(url: str, selector: str, start: float) -> float:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(180_000)
            page.goto(url)
            page.locator(selector).wait_for()
            return time.perf_counter() - start
        finally:
            browser.close()


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _wait_for_line(log: Path, pattern: str, process: subprocess.Popen[bytes]) -> str:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text(errors='replace')}")
        time.sleep(0.05)
    raise SystemExit(f"no URL within 180 s:\n{log.read_text(errors='replace')}")


def workshop_ready(project: Path, scratch: Path) -> float:
    """From ``codesign workshop`` to a facilitator page showing its board."""
    log = scratch / "workshop.log"
    argv = [str(Path(sys.executable).parent / "codesign"), "workshop", "--project", str(project)]
    argv += ["--no-browser"] + (["--allow-root"] if os.geteuid() == 0 else [])
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv,
            env=jupyter_env(scratch / "home"),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = _wait_for_line(log, r"Facilitator \(every form\): (\S+)", process)
        return _open_until(url, ".codesign-consensus-board", start)
    finally:
        _stop(process)


def slider_ready(project: Path, scratch: Path) -> float:
    """The same server command and configuration, serving a one-slider notebook instead."""
    folder = scratch / "slider"
    folder.mkdir(exist_ok=True)
    (folder / "slider.ipynb").write_text(json.dumps(SLIDER), encoding="utf-8")
    workshop = workshop_command(
        Project.at(project), WorkshopOptions(open_browser=False, allow_root=True), {}
    )
    config = scratch / "server_config.py"
    config.write_text(workshop.server.config, encoding="utf-8")
    argv = [
        arg
        for arg in workshop.server.argv
        if not arg.startswith(("--ServerApp.root_dir=", "--ServerApp.default_url="))
    ]
    argv += [f"--ServerApp.root_dir={folder}", f"--config={config}"]
    env = {**jupyter_env(scratch / "home"), "JUPYTER_TOKEN": workshop.server.token}
    url = workshop.server.url("/voila/render/slider.ipynb")
    log = scratch / "slider.log"
    start = time.perf_counter()
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        while probe_status(workshop.server, with_token=True) != 200:
            if process.poll() is not None:
                raise SystemExit(log.read_text(errors="replace"))
            time.sleep(0.05)
        return _open_until(url, ".widget-slider", start)
    finally:
        _stop(process)


# --- twenty participants ---------------------------------------------------------------------


def _one_save(args: tuple[str, int, object]) -> float:
    root, index, barrier = args
    store = RatingStore(Path(root))
    rater = store.rater_key(f"participant {index}")
    ratings = {"catch_high_acuity": Rating(score=1 + index % 9, target=0.9 + index / 1000)}
    barrier.wait()  # type: ignore[attr-defined]
    start = time.perf_counter()
    store.save(rater, f"role {index % 4}", ratings, round_number=1)
    return time.perf_counter() - start


def twenty_at_once(root: Path, people: int = 20) -> tuple[list[float], int]:
    RatingStore(root).rater_key("warm the key")  # the key file exists before the rush
    with multiprocessing.Manager() as manager:
        barrier = manager.Barrier(people)
        with multiprocessing.Pool(people) as pool:
            times = pool.map(_one_save, [(str(root), i, barrier) for i in range(people)])
    store = RatingStore(root)
    kept = 0
    for index in range(people):
        answers = store.answers(store.rater_key(f"participant {index}"), 1)
        if answers and answers.role == f"role {index % 4}":
            kept += answers.ratings["catch_high_acuity"].score == 1 + index % 9
    return times, kept


def one_alone(root: Path) -> float:
    store = RatingStore(root)
    rater = store.rater_key("alone")
    start = time.perf_counter()
    store.save(rater, "nurse", {"x": Rating(score=5)}, round_number=2)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="codesign-bench-workshop-") as tmp:
        scratch = Path(tmp)
        project = create_project(ProjectSpec.from_name("Triage", preset="triage"), scratch / "p")
        subject, baseline = alternate(
            lambda: workshop_ready(project, scratch),
            lambda: slider_ready(project, scratch),
            args.rounds,
        )
        ratio = statistics.median(subject) / statistics.median(baseline)
        report(
            "workshop page ready vs one-slider Voila page",
            subject,
            baseline,
            "<= 1.5",
            ok=ratio <= 1.5,
        )

        concurrent_times: list[float] = []
        alone_times: list[float] = []
        all_kept = True
        for round_index in range(args.rounds):
            root = scratch / f"rush-{round_index}"
            root.mkdir()
            times, kept = twenty_at_once(root)
            concurrent_times += times
            all_kept &= kept == 20
            alone_times.append(one_alone(root))
        median = statistics.median(concurrent_times)
        report(
            "20 participants saving at once vs one save alone",
            concurrent_times,
            alone_times,
            "all kept, median <= 0.2 s",
            ok=all_kept and median <= 0.2,
        )
        print(
            f"  kept: {'all 20 in every round' if all_kept else 'SOME LOST'}; "
            f"median save {median * 1000:.1f} ms, slowest {max(concurrent_times) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
