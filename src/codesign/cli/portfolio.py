"""``codesign portfolio ROOT... [--out DIR]``: every initiative under the roots, on one page."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from codesign.portfolio import Summary

DEFAULT_OUT = Path("portfolio")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``portfolio`` command."""
    parser = subparsers.add_parser(
        "portfolio",
        help="a dashboard of every project under some folders (HTML, CSV, JSON)",
        description=(
            "Find every codesign project under the ROOT folders and write a self-contained "
            "dashboard (index.html: works from a file share, no server, no network) with "
            "portfolio.csv and portfolio.json: stage, owner, build/buy/partner, outcomes met, "
            "governance, reports, and the flags an AI office acts on. Projects that cannot be "
            "read are listed with the reason. Exit 0; 2 on bad input (a ROOT that is not a "
            "folder, an --out folder that cannot be written)."
        ),
    )
    parser.add_argument("roots", nargs="+", type=Path, metavar="ROOT", help="folder to search")
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        metavar="DIR",
        help=f"output folder (default: ./{DEFAULT_OUT})",
    )
    parser.add_argument(
        "--stale-days",
        type=int,
        default=None,
        metavar="N",
        help="flag initiatives without activity for N days (default: 90)",
    )
    parser.add_argument(
        "--tracking-uri",
        metavar="URI",
        help="MLflow store of every project (overrides CODESIGN_TRACKING_URI)",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Build and write the portfolio, then say where it is and what it found."""
    from codesign.portfolio import PortfolioOptions, build_portfolio, write_portfolio

    options = PortfolioOptions(tracking_uri=args.tracking_uri)
    if args.stale_days is not None:
        options = dataclasses.replace(options, stale_after_days=args.stale_days)
    portfolio = build_portfolio(args.roots, options)
    files = write_portfolio(portfolio, args.out)
    print(f"Portfolio: {files.html} (with {files.csv.name} and {files.json.name})")
    print(summary_line(portfolio.summary()))
    return 0


def summary_line(summary: Summary) -> str:
    """``12 initiatives: 9 flagged (...), 2 cannot be read fully``, in one line."""
    from codesign.portfolio.model import FLAG_LABELS, FlagCode

    counts = [
        f"{count} {FLAG_LABELS[code]}"
        for code, count in summary.by_flag.items()
        if count and code is not FlagCode.BROKEN
    ]
    detail = f" ({', '.join(counts)})" if counts else ""
    return (
        f"{summary.initiatives} initiatives: {summary.flagged} flagged{detail}; "
        f"{summary.broken} cannot be read fully"
    )
