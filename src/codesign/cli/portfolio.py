"""``codesign portfolio ROOT... [--out DIR]``: every initiative under the roots, on one page.

The portfolio is written in the language of ``--lang``, ``CODESIGN_LANG`` or the locale: it
spans projects, so no one charter's ``language:`` chooses it.
"""

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
    from codesign.i18n import _

    print(
        _(
            "Portfolio: {html} (with {csv} and {json})",
            html=files.html,
            csv=files.csv.name,
            json=files.json.name,
        )
    )
    print(summary_line(portfolio.summary()))
    return 0


def summary_line(summary: Summary) -> str:
    """``12 initiatives: 9 flagged (...), 2 cannot be read fully``, in one line."""
    from codesign.i18n import _, ngettext
    from codesign.portfolio.model import FlagCode, flag_label

    counts = [
        _("{count} {flag}", count=count, flag=flag_label(code))
        for code, count in summary.by_flag.items()
        if count and code is not FlagCode.BROKEN
    ]
    if counts:
        return ngettext(
            "{n} initiative: {flagged} flagged ({counts}); {broken} cannot be read fully",
            "{n} initiatives: {flagged} flagged ({counts}); {broken} cannot be read fully",
            summary.initiatives,
            flagged=summary.flagged,
            counts=", ".join(counts),
            broken=summary.broken,
        )
    return ngettext(
        "{n} initiative: {flagged} flagged; {broken} cannot be read fully",
        "{n} initiatives: {flagged} flagged; {broken} cannot be read fully",
        summary.initiatives,
        flagged=summary.flagged,
        broken=summary.broken,
    )
