"""Where does ``codesign demo`` spend its time? Each step's wall time, against the kernel floor.

Runs ``codesign demo --force`` as ``make demo`` does (a command, interpreter start and imports
included) ``--rounds`` times into a temporary folder, alternating with ``papermill`` on an empty
notebook: the floor every Papermill report pays (the interpreter, Papermill's imports, a kernel
started and stopped), measured in the same run because absolute times mislead on a noisy machine.
Prints, per step, the median wall time, its share of the demo and its ratio to the floor, so the
slowest step is visible; then the whole command against the floor.

Then the demo again under a synthetic load: one busy process per core this process may use
(a shared server at its busiest), against the same demo on the machine as it was. The model
fits size their thread pools to the free cores (threadpoolctl), so the goal is at most 2x.

    .venv/bin/python bench/demo.py [--rounds N] [--load-rounds N]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from _common import EMPTY_NOTEBOOK, VENV_BIN, time_command

os.environ.setdefault("MLFLOW_DISABLE_TELEMETRY", "true")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

STEP = re.compile(r"^\[(\d)/(\d)\] (.+?) \.\.\.$")
DONE = re.compile(r"^\s+done in (\d+\.\d) s")


def one_demo(folder: Path) -> tuple[float, dict[str, float]]:
    """Wall time of one ``codesign demo`` command, and each step's time as it printed it."""
    started = time.perf_counter()
    result = subprocess.run(
        [str(VENV_BIN / "codesign"), "demo", "--dir", str(folder), "--force"],
        check=True,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    steps: dict[str, float] = {}
    title = ""
    for line in result.stdout.splitlines():
        if match := STEP.match(line):
            title = f"{match[1]}. {match[3]}"
        elif (match := DONE.match(line)) and title:
            steps[title] = float(match[1])
    return wall, steps


@contextlib.contextmanager
def synthetic_load(processes: int) -> Iterator[None]:
    """``processes`` busy loops, one per core, for the duration of the block."""
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(processes)]
    try:
        time.sleep(2)  # let them take the cores (and the load average rise)
        yield
    finally:
        for process in busy:
            process.kill()
        for process in busy:
            process.wait()


def under_load(
    folder: Path, rounds: int, idle: list[float], idle_steps: dict[str, list[float]]
) -> None:
    """The demo with every core busy, against the idle runs measured just before."""
    cores = len(os.sched_getaffinity(0))
    walls: list[float] = []
    steps: dict[str, list[float]] = {}
    with synthetic_load(cores):
        for _ in range(rounds):
            wall, per_step = one_demo(folder)
            walls.append(wall)
            for title, seconds in per_step.items():
                steps.setdefault(title, []).append(seconds)
    calm, busy = statistics.median(idle), statistics.median(walls)
    fits = next((t for t in steps if t.startswith("4.")), None)
    if fits is not None:
        before, after = statistics.median(idle_steps[fits]), statistics.median(steps[fits])
        print(f"step {fits}: {after:.1f} s under load vs {before:.1f} s: {after / before:.2f}x")
    ratio = busy / calm
    verdict = "met" if ratio <= 2 else "NOT met"
    print(
        f"whole demo under a synthetic load on every core ({cores} busy processes) / as the "
        f"machine was: ratio {ratio:.2f} (goal <= 2.00, {verdict}) — median {busy:.1f} s vs "
        f"{calm:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--load-rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="codesign-bench-demo-") as tmp:
        root = Path(tmp)
        os.environ["HOME"] = str(root / "home")
        os.environ.pop("CODESIGN_TRACKING_URI", None)
        empty = root / "empty.ipynb"
        empty.write_text(json.dumps(EMPTY_NOTEBOOK))
        floor_argv = [str(VENV_BIN / "papermill"), str(empty), str(root / "out.ipynb")]
        time_command([*floor_argv, "-p", "project_dir", "."])  # warm the file cache
        walls: list[float] = []
        floors: list[float] = []
        per_step: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            wall, steps = one_demo(root / "demo")
            walls.append(wall)
            for title, seconds in steps.items():
                per_step.setdefault(title, []).append(seconds)
            floors.append(time_command([*floor_argv, "-p", "project_dir", "."]))
        floor = statistics.median(floors)
        total = statistics.median(walls)
        print(
            f"codesign demo, median of {args.rounds} runs; floor = papermill on an empty notebook"
        )
        print(f"{'step':<50} {'median':>8} {'share':>6} {'/ floor':>8}")
        for title, times in per_step.items():
            seconds = statistics.median(times)
            print(f"{title:<50} {seconds:>7.1f}s {seconds / total:>6.0%} {seconds / floor:>8.2f}")
        accounted = sum(statistics.median(t) for t in per_step.values())
        rest = total - accounted
        print(
            f"{'(interpreter, imports, folder)':<50} {rest:>7.1f}s {rest / total:>6.0%} "
            f"{rest / floor:>8.2f}"
        )
        slowest = max(per_step, key=lambda t: statistics.median(per_step[t]))
        print(
            f"whole demo / papermill empty notebook: ratio {total / floor:.2f} "
            f"— median {total:.1f} s vs {floor:.1f} s; slowest step: {slowest}"
        )
        under_load(root / "demo", args.load_rounds, walls, per_step)


if __name__ == "__main__":
    main()
