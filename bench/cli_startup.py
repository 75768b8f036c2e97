"""How fast does `codesign --help` answer, against `mlflow --help` measured in the same run?

Both commands are run alternately (so machine noise hits both alike) and the ratio of their
median wall times is printed. Goal: <= 0.15.

    .venv/bin/python bench/cli_startup.py [--rounds N]
"""

from __future__ import annotations

import argparse
import statistics

from _common import VENV_BIN, alternate, report, time_command


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    codesign = [str(VENV_BIN / "codesign"), "--help"]
    mlflow = [str(VENV_BIN / "mlflow"), "--help"]
    time_command(codesign)  # warm the file cache for both
    time_command(mlflow)
    ours, theirs = alternate(
        lambda: time_command(codesign), lambda: time_command(mlflow), args.rounds
    )
    ratio = statistics.median(ours) / statistics.median(theirs)
    report("codesign --help / mlflow --help", ours, theirs, "<= 0.15", ok=ratio <= 0.15)


if __name__ == "__main__":
    main()
