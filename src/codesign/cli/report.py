"""``codesign report run``: execute projects' report notebooks with Papermill."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from codesign.reports.parameters import JsonValue


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``report`` command group."""
    parser = subparsers.add_parser(
        "report",
        help="run projects' reports (notebooks/report.ipynb) into reports/, now or when due",
        description="Run the report notebooks of codesign projects with Papermill.",
    )
    commands = parser.add_subparsers(title="report commands", metavar="COMMAND")
    run = commands.add_parser(
        "run",
        help="execute report notebooks into reports/<slug>-<UTC time>.ipynb and .html",
        description=(
            "Execute each project's notebooks/report.ipynb with Papermill (one kernel per "
            "report), write reports/<slug>-<YYYYmmddTHHMMSSZ>.ipynb and a self-contained .html "
            "without code, and log both to the project's MLflow experiment. A report that fails "
            "keeps its partial notebook with a banner saying where it stopped; the others still "
            "run. Exit 0 when every report ran, 1 when one failed, 2 on bad input."
        ),
        epilog=(
            "Scheduling: `*/15 * * * * codesign -q report run --due /srv/projects` in a crontab "
            "runs every report whose charter schedule (reports.schedule, a cron expression in "
            "reports.timezone) has come round since its last successful run. A project whose "
            "report is already running is skipped (its lock is held), never waited for. With -q, "
            "only failed and skipped reports are printed."
        ),
    )
    run.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path()],
        metavar="PROJECT",
        help="project folders, or folders holding projects (default: the current folder)",
    )
    run.add_argument(
        "--due",
        action="store_true",
        help="only the reports whose schedule is due (for cron, systemd timers, CronJobs)",
    )
    run.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="reports run at once (default: 1)"
    )
    run.add_argument(
        "--timeout",
        type=float,
        metavar="S",
        help="seconds allowed for each whole report; past it, its kernel is killed and the "
        "report marked failed (default: no limit)",
    )
    run.add_argument(
        "-p",
        "--parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help='a notebook parameter, VALUE as JSON: 42, 0.5, true, null, "text", [1, 2]',
    )
    run.add_argument(
        "-r",
        "--raw-parameter",
        nargs=2,
        action="append",
        default=[],
        metavar=("NAME", "VALUE"),
        help="a notebook parameter whose VALUE is plain text",
    )
    run.add_argument("--kernel", metavar="NAME", help="Jupyter kernel (default: the notebook's)")
    run.add_argument(
        "--tracking-uri", metavar="URI", help="MLflow store (overrides CODESIGN_TRACKING_URI)"
    )
    run.add_argument("--json", action="store_true", help="print one JSON document")
    # For tests and replays: the time the run takes as now (ISO 8601; naive means UTC).
    run.add_argument("--now", help=argparse.SUPPRESS)
    run.set_defaults(handler=run_reports)
    parser.set_defaults(handler=lambda _args: _usage(parser))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def run_reports(args: argparse.Namespace) -> int:
    """Run the reports; print one line per report and a summary naming each failure."""
    from codesign.reports.runner import ReportOptions, run_reports
    from codesign.timeutil import utc_now

    fixed = _fixed_time(args.now)
    options = ReportOptions(
        parameters=_parameters(args.parameter, args.raw_parameter),
        due_only=args.due,
        jobs=args.jobs,
        timeout=args.timeout,
        kernel_name=args.kernel,
        tracking_uri=args.tracking_uri,
        clock=utc_now if fixed is None else (lambda: fixed),
    )
    summary = run_reports(args.paths, options)
    if args.json:
        print(json.dumps(summary.to_json()))
    else:
        lines = summary.lines(verbose=args.verbose > 0, quiet=args.quiet)
        if lines:
            print("\n".join(lines))
    return summary.exit_code


def _parameters(typed: list[list[str]], raw: list[list[str]]) -> dict[str, JsonValue]:
    from codesign.exceptions import ReportError
    from codesign.reports.parameters import parse_json_value

    parameters: dict[str, JsonValue] = {}
    given: list[tuple[str, JsonValue]] = [(n, parse_json_value(n, v)) for n, v in typed]
    given += [(name, value) for name, value in raw]
    for name, value in given:
        if name in parameters:
            msg = f"parameter {name!r}: given more than once"
            raise ReportError(msg)
        parameters[name] = value
    return parameters


def _fixed_time(now: str | None) -> dt.datetime | None:
    """The time given with ``--now``, or ``None`` for the real clock."""
    if now is None:
        return None
    from codesign.exceptions import ReportError
    from codesign.timeutil import as_utc

    try:
        moment = dt.datetime.fromisoformat(now)
    except ValueError:
        msg = f"--now: expected an ISO 8601 time like 2026-03-02T07:00:00+01:00, got {now!r}"
        raise ReportError(msg) from None
    return as_utc(moment)
