"""How long does `codesign new` take, against the plain `cookiecutter` CLI on the same template?

Both make the same project from `cookiecutter/` (the plain CLI runs the template's hooks, which
call the same library code that `codesign new` runs in-process): charter, report notebook, git
with the notebook filter. They run alternately, each into a fresh folder under a throwaway HOME,
and the ratio of their median wall times is printed. Goal: <= 1.5.

    .venv/bin/python bench/scaffold.py [--rounds N]
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import tempfile
from pathlib import Path

from _common import VENV_BIN, alternate, report, time_command

TEMPLATE = Path(__file__).resolve().parent.parent / "cookiecutter"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    counter = itertools.count()
    with tempfile.TemporaryDirectory(prefix="codesign-bench-") as tmp:
        root = Path(tmp)
        env = {**os.environ, "HOME": str(root / "home"), "XDG_CONFIG_HOME": str(root / "cfg")}

        def codesign_new() -> float:
            out = root / f"new-{next(counter)}"
            argv = [str(VENV_BIN / "codesign"), "new", "Nurse triage assistant", "--no-input"]
            return time_command([*argv, "--output-dir", str(out)], env=env)

        def plain_cookiecutter() -> float:
            out = root / f"cc-{next(counter)}"
            argv = [str(VENV_BIN / "cookiecutter"), str(TEMPLATE), "--no-input", "-o", str(out)]
            return time_command([*argv, "project_name=Nurse triage assistant"], env=env)

        codesign_new()  # warm the file cache for both
        plain_cookiecutter()
        ours, theirs = alternate(codesign_new, plain_cookiecutter, args.rounds)
    ratio = statistics.median(ours) / statistics.median(theirs)
    report("codesign new / cookiecutter CLI", ours, theirs, "<= 1.5", ok=ratio <= 1.5)


if __name__ == "__main__":
    main()
