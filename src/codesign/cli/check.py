"""``codesign check DATA``: the governance gate on a file or a database table."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    import argparse
    from types import TracebackType

    from rich.progress import Progress, TaskID

    from codesign.governance.batches import ReadProgress


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser(
        "check",
        help="governance gate: check data against the charter's data contract (PHI, completeness)",
        description=(
            "Check a CSV or Parquet extract, or a PostgreSQL table (postgresql://HOST/DB?table="
            "NAME, checked inside the database), against the data contract of the project's "
            "charter: identifying information (NIR, phone numbers, e-mails, names, addresses, "
            "dates of birth), declared columns, types, completeness, ranges, allowed values, "
            "uniqueness. Prints counts, never values. Writes Data Docs under governance/ and "
            "keeps the result for iteration tracking. A file of any size is read in batches; "
            "on a terminal, its progress is shown on stderr (not with -q). "
            "Exit 0 passed, 1 failed, 2 bad input."
        ),
    )
    parser.add_argument("data", metavar="DATA", help="a .csv/.parquet file or a table URL")
    parser.add_argument(
        "--project", metavar="DIR", help="the project folder (default: the current folder)"
    )
    parser.add_argument(
        "--json", action="store_true", help="print one JSON document: passed, rows, findings"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Run the gate and report; 0 passed, 1 failed (bad input raises: exit 2)."""
    from codesign.governance import GateOptions, run_gate

    with ReadDisplay(sys.stderr, shown=sys.stderr.isatty() and not args.quiet) as display:
        result = run_gate(
            args.data, project=args.project, options=GateOptions(progress=display.update)
        )
    if args.json:
        sys.stdout.write(result.to_json() + "\n")
    else:
        print(result.summary())
    return 0 if result.passed else 1


class ReadDisplay:
    """Rows read, bytes of the total and time elapsed, on a terminal only (rich's bar).

    Not shown without a terminal (a pipe, cron) or with ``-q``: nothing is written then. It
    shows counts and sizes only, never a value or a column name. rich honours ``NO_COLOR`` and
    ``TERM=dumb``.
    """

    def __init__(self, stream: TextIO, *, shown: bool) -> None:
        self.stream = stream
        self.shown = shown
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> ReadDisplay:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()

    def update(self, progress: ReadProgress) -> None:
        if not self.shown:
            return
        if self._progress is None or self._task is None:
            self._progress, self._task = self._start(progress.total_bytes)
        self._progress.update(
            self._task,
            completed=min(progress.bytes_read, progress.total_bytes),
            rows=f"{progress.rows:,}",
        )

    def _start(self, total: int) -> tuple[Progress, TaskID]:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        progress = Progress(
            TextColumn("checking"),
            BarColumn(),
            TextColumn("{task.fields[rows]} rows"),
            DownloadColumn(),
            TimeElapsedColumn(),
            console=Console(file=self.stream, highlight=False),
            transient=True,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        task = progress.add_task("checking", total=total, rows="0")
        progress.start()
        return progress, task
