"""``codesign demo [--dir DIR] [--force]``: the whole co-design story on synthetic data."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Final, TextIO

if TYPE_CHECKING:
    import argparse

    from codesign.demo import StepReport

DEFAULT_DIR: Final = Path("codesign-demo")
HEADLINE: Final = "codesign demo: co-designing an ED triage assistant, on synthetic data"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser(
        "demo",
        help="the whole story end to end on synthetic data; prints the report's path",
        description=(
            "Scaffold an ED triage use case in DIR, fill its outcomes as a workshop would and "
            "sign them off, run the governance gate on a raw extract (it fails) and a "
            "de-identified one (it passes), log three model iterations (an in-house baseline, an "
            "improved model with pilot feedback, a vendor's predictions), compare them against "
            "the charter and write the report. Writes only inside DIR; replaces an earlier demo "
            "there only when asked (or with --force). Exit 0; 1 if the report failed; 2 if DIR "
            "cannot be used."
        ),
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        metavar="DIR",
        help=f"the demo's folder (default: ./{DEFAULT_DIR})",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace an earlier demo in DIR without asking"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the story, printing each step as it goes, then where to look."""
    from codesign.demo import DemoOptions, run_demo

    confirm = _ask if sys.stdin.isatty() and not args.force else None
    options = DemoOptions(folder=args.dir, force=args.force, confirm=confirm)
    result = run_demo(options, _Printer(sys.stdout))
    print()
    for line in result.next_steps():
        print(line)
    if not result.ok:
        print(f"codesign: the report failed: {result.report.message}", file=sys.stderr)
        return 1
    return 0


class _Printer:
    """Prints ``[3/6] title ...`` when a step starts, then what it did and how long it took."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.began = time.perf_counter()

    def started(self, number: int, total: int, title: str) -> None:
        if number == 1:  # the folder is ready: the story begins
            print(HEADLINE, file=self.out)
        print(f"\n[{number}/{total}] {title} ...", file=self.out, flush=True)

    def finished(self, step: StepReport) -> None:
        for line in step.lines:
            print(f"      {line}", file=self.out)
        elapsed = time.perf_counter() - self.began
        print(
            f"      done in {step.seconds:.1f} s ({elapsed:.0f} s so far)",
            file=self.out,
            flush=True,
        )


def _ask(question: str) -> bool:
    try:
        answer = input(f"{question} [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in {"y", "yes"}
