"""Run projects' reports: select, lock, execute, write, log; one failure never stops the rest.

:func:`run_reports` is what ``codesign report run`` calls. For each project found under the given
paths it runs :func:`run_report`, in parallel threads with ``jobs > 1`` (each report's work is in
its own kernel process; this process only drives them). A report:

1. takes the project's lock without waiting (a run already in progress: *skipped*);
2. with ``due_only``, is run only when its charter's schedule says so (else *not due*);
3. executes ``notebooks/report.ipynb`` with Papermill, ``project_dir`` injected
   (:mod:`codesign.reports.execute`), within ``timeout`` seconds if given;
4. writes ``reports/<slug>-<YYYYmmddTHHMMSSZ>.ipynb`` and ``.html`` atomically, a partial notebook
   with a banner when it stopped early (:mod:`codesign.reports.export`);
5. logs both to MLflow as a report run (:mod:`codesign.reports.record`) and keeps the schedule
   state (:mod:`codesign.reports.schedule`).

Anything that goes wrong in one project (an invalid charter, a failing cell, a dead kernel, a
time-out, an unreachable tracking server) makes that report *failed*, with a one-line reason, and
the others still run. Only bad input for the whole run (bad parameters, a path that does not
exist) raises :class:`~codesign.exceptions.ReportError`, before anything runs.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import functools
import logging
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from codesign import i18n
from codesign.config import ENV_TRACKING_URI
from codesign.exceptions import CodesignError, ReportError, TrackingError
from codesign.fileio import MUST_NOT_EXIST, atomic_write, atomic_write_text, project_folder
from codesign.i18n import ENV_LANG, N_, _
from codesign.project import Project, find_projects, read_report_state, write_report_state
from codesign.reports.lock import ReportLockedError, project_lock
from codesign.reports.parameters import PROJECT_DIR, validate_parameters
from codesign.reports.schedule import due
from codesign.reports.tracker import TrackingWorker
from codesign.system import first_line
from codesign.timeutil import utc_now

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping, Sequence

    from codesign.charter.model import Charter
    from codesign.reports.execute import Execution
    from codesign.reports.parameters import JsonValue

logger = logging.getLogger(__name__)

STAMP_FORMAT: Final = "%Y%m%dT%H%M%SZ"
"""UTC time in report file names: ``reports/<slug>-20260302T060000Z.html`` (DESIGN.md §3)."""
MAX_JOBS: Final = 64
MAX_TIMEOUT: Final = 7 * 24 * 3600.0
"""The longest time limit a report may be given; infinity and NaN are not numbers of seconds."""
KERNEL_PRELOAD: Final = ("codesign.reports.sections", "matplotlib.backends.backend_agg")
"""What the report notebook imports first; its kernel loads them while starting."""


@dataclass(frozen=True)
class ReportOptions:
    """How to run reports; every field is optional.

    ``parameters``: extra notebook parameters (validated: identifier names, JSON values;
    ``project_dir`` is set for each project). ``due_only``: run only the reports whose schedule
    is due. ``jobs``: reports run at once. ``timeout``: seconds allowed for each whole report
    (kernel start included). ``kernel_name``: the Jupyter kernel (default: the notebook's).
    ``tracking_uri``: the MLflow store (default: each project's). ``clock``: the current time
    (UTC), injectable for tests and replays.
    """

    parameters: Mapping[str, JsonValue] = field(default_factory=dict)
    due_only: bool = False
    jobs: int = 1
    timeout: float | None = None
    kernel_name: str | None = None
    tracking_uri: str | None = None
    clock: Callable[[], dt.datetime] = utc_now
    progress: ReportProgress | None = None
    """Told which projects will run, then of each result as it ends (the command line's lines
    and progress bar); called from the threads running the reports."""

    def __post_init__(self) -> None:
        if not 1 <= self.jobs <= MAX_JOBS:
            msg = f"jobs: expected 1 to {MAX_JOBS} reports at once, got {self.jobs}"
            raise ReportError(msg)
        if self.timeout is not None and not 0 < self.timeout <= MAX_TIMEOUT:
            msg = (
                f"timeout: expected a number of seconds above 0 and at most {MAX_TIMEOUT:g} "
                f"(a week), got {self.timeout}; leave it out for no limit"
            )
            raise ReportError(msg)
        object.__setattr__(self, "parameters", validate_parameters(self.parameters))


class ReportProgress(Protocol):
    """Follows a run as it goes: the projects selected, then each report as it ends."""

    def started(self, projects: Sequence[Path]) -> None: ...

    def finished(self, result: ReportResult) -> None: ...


class ReportStatus(StrEnum):
    """How one project's report run ended."""

    OK = "ok"
    FAILED = "failed"
    SKIPPED = "skipped"
    """Another run of the same project holds its lock."""
    NOT_DUE = "not due"

    @property
    def word(self) -> str:
        """The status in the reader's language, as the summary counts it: "failed", "échoué"."""
        return _(_STATUS_WORDS[self])


_STATUS_WORDS: Final = {
    ReportStatus.OK: N_("ok"),
    ReportStatus.FAILED: N_("failed"),
    ReportStatus.SKIPPED: N_("skipped"),
    ReportStatus.NOT_DUE: N_("not due"),
}
_STATUS_COUNTS: Final = {
    ReportStatus.OK: N_("{count} ok"),
    ReportStatus.FAILED: N_("{count} failed"),
    ReportStatus.SKIPPED: N_("{count} skipped"),
    ReportStatus.NOT_DUE: N_("{count} not due"),
}
"""How the summary counts the reports of each status."""


@dataclass(frozen=True)
class ReportResult:
    """One project's report run."""

    project: Path
    status: ReportStatus
    message: str
    """For people: what was written, or why it failed, was skipped or is not due."""
    notebook: Path | None = None
    html: Path | None = None
    run_id: str | None = None
    """The MLflow run holding the report's files."""
    seconds: float = 0.0

    def line(self, *, verbose: bool = False, quiet: bool = False) -> str | None:
        """This result's line for people, or ``None`` where it is not shown.

        A report that is not due is shown only with ``verbose``; with ``quiet`` only what needs
        a person (failed and skipped reports) is.
        """
        if self.status is ReportStatus.NOT_DUE and not verbose:
            return None
        if quiet and self.status in (ReportStatus.OK, ReportStatus.NOT_DUE):
            return None
        status = self.status.word.upper()
        if self.seconds < 0.05:
            return _(
                "{status} {project}: {message}",
                status=f"{status:8}",
                project=self.project,
                message=self.message,
            )
        return _(
            "{status} {project}: {message} ({seconds} s)",
            status=f"{status:8}",
            project=self.project,
            message=self.message,
            seconds=i18n.format_written_number(f"{self.seconds:.1f}"),
        )


@dataclass(frozen=True)
class RunSummary:
    """Every report of one ``run_reports`` call, in the order of the projects."""

    results: tuple[ReportResult, ...]
    due_only: bool = False

    def with_status(self, status: ReportStatus) -> tuple[ReportResult, ...]:
        return tuple(r for r in self.results if r.status is status)

    @property
    def exit_code(self) -> int:
        """1 when a report failed (or, outside ``due_only``, was skipped), else 0.

        A scheduled run that finds a report already running leaves it to that run: not a
        failure. A report asked for by name that could not run is one.
        """
        if self.with_status(ReportStatus.FAILED):
            return 1
        if not self.due_only and self.with_status(ReportStatus.SKIPPED):
            return 1
        return 0

    def to_json(self) -> dict[str, object]:
        """One JSON document: every result, and the exit code."""
        return {
            "results": [
                {
                    "project": str(r.project),
                    "status": r.status.value,
                    "message": r.message,
                    "notebook": None if r.notebook is None else str(r.notebook),
                    "html": None if r.html is None else str(r.html),
                    "run_id": r.run_id,
                    "seconds": round(r.seconds, 3),
                }
                for r in self.results
            ],
            "exit_code": self.exit_code,
        }

    def lines(self, *, verbose: bool = False, quiet: bool = False) -> list[str]:
        """The summary people read: one line per report run (and per not-due with verbose).

        ``quiet`` keeps only what needs a person (failed and skipped reports), so a scheduler
        that mails any output (cron) mails only then.
        """
        out = [
            line for r in self.results if (line := r.line(verbose=verbose, quiet=quiet)) is not None
        ]
        return out + self.footer(quiet=quiet, any_shown=bool(out))

    def footer(self, *, quiet: bool = False, any_shown: bool = True) -> list[str]:
        """The lines after the reports' own: the counts, and the failed projects named."""
        out = []
        counts = ", ".join(
            _(_STATUS_COUNTS[status], count=len(found))
            for status in ReportStatus
            if (found := self.with_status(status))
        )
        if any_shown or not quiet:
            out.append(
                _(
                    "{count} project(s): {counts}",
                    count=len(self.results),
                    counts=counts or _("nothing to do"),
                )
            )
        failed = self.with_status(ReportStatus.FAILED)
        if failed:
            out.append(
                _(
                    "Failed ({count}): {projects}",
                    count=len(failed),
                    projects=", ".join(str(r.project) for r in failed),
                )
            )
        return out


def run_reports(
    paths: Iterable[Path | str] = (".",), options: ReportOptions | None = None
) -> RunSummary:
    """Run the report of every project under ``paths`` (projects or folders holding them)."""
    options = options or ReportOptions()
    projects = select_projects(paths, due_only=options.due_only)
    if options.progress is not None:
        options.progress.started(projects)
    with TrackingWorker() as tracker:
        if not options.due_only:  # reports asked for will run: their logger starts at once
            tracker.start()
        run = functools.partial(_run_one, options=options, tracker=tracker)
        if options.jobs == 1 or len(projects) <= 1:
            return RunSummary(tuple(run(p) for p in projects), options.due_only)
        with concurrent.futures.ThreadPoolExecutor(
            max_workers=min(options.jobs, len(projects)), thread_name_prefix="codesign-report"
        ) as pool:
            futures = [pool.submit(run, p) for p in projects]
            try:
                results = tuple(f.result() for f in futures)
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
    return RunSummary(results, options.due_only)


def select_projects(paths: Iterable[Path | str], *, due_only: bool) -> list[Path]:
    """The projects at or under ``paths``, each once; a path that does not exist is bad input.

    Asking for reports by path and finding no project there is bad input too; a scheduled run
    (``due_only``) over a folder with no project yet simply has nothing to do.
    """
    roots = [Path(p) for p in paths]
    missing = [str(p) for p in roots if not p.exists()]
    if missing:
        msg = f"no such file or folder: {', '.join(missing)}"
        raise ReportError(msg)
    projects = find_projects(roots)
    if not projects and not due_only:
        msg = (
            f"no codesign project (a folder with codesign.yaml) at or under: "
            f"{', '.join(str(p) for p in roots)}"
        )
        raise ReportError(msg)
    return projects


def run_report(project: Project | Path | str, options: ReportOptions | None = None) -> ReportResult:
    """Run one project's report; never raises for a problem of that project (see the result)."""
    options = options or ReportOptions()
    with TrackingWorker() as tracker:
        if not options.due_only:
            tracker.start()
        return _run_one(project, options, tracker)


def _run_one(
    project: Project | Path | str, options: ReportOptions, tracker: TrackingWorker
) -> ReportResult:
    path = project.root if isinstance(project, Project) else Path(project)
    started = time.monotonic()
    try:
        where = project if isinstance(project, Project) else Project.at(path)
        with project_lock(where, clock_now=options.clock()):
            result = _run_locked(where, options, tracker)
    except ReportLockedError as e:
        result = ReportResult(
            path, ReportStatus.SKIPPED, _("already running{holder}", holder=e.holder)
        )
    except CodesignError as e:
        result = ReportResult(path, ReportStatus.FAILED, first_line(e))
    except Exception as e:
        logger.exception("report of %s: unexpected error", path)
        result = ReportResult(
            path,
            ReportStatus.FAILED,
            _("unexpected error ({error}); see the log above", error=type(e).__name__),
        )
    result = dataclasses.replace(result, seconds=time.monotonic() - started)
    if options.progress is not None:
        try:
            options.progress.finished(result)
        except Exception:  # a display problem never fails a report
            logger.debug("progress display failed", exc_info=True)
    return result


def _run_locked(project: Project, options: ReportOptions, tracker: TrackingWorker) -> ReportResult:
    charter = project.load_charter().charter
    now = options.clock().astimezone(dt.UTC)
    state = read_report_state(project)
    if options.due_only:
        schedule = due(charter.reports, state, now)
        if not schedule.due:
            return ReportResult(project.root, ReportStatus.NOT_DUE, schedule.reason)
        logger.info("report of %s is due: %s", project.root, schedule.reason)
    notebook = project.report_notebook
    if not notebook.is_file():
        msg = _(
            "{path}: no report notebook; copy codesign's (templates/reports/report.ipynb) "
            "there, or create the project with `codesign new`",
            path=notebook,
        )
        raise ReportError(msg)
    from codesign.reports.execute import KernelOptions, execute

    experiment = project.slug_of(charter)
    key = f"{project.root}#{now.isoformat()}"
    # The kernel writes the report in the language chosen here (--lang, CODESIGN_LANG, the
    # charter's, the locale's): one choice for the page, its banner and its sections.
    language = i18n.resolve_language(i18n.explicit_language(), charter.language)
    env: dict[str, str] = {ENV_LANG: language}
    if options.tracking_uri:  # the report reads the iterations from the store its run logs to
        env[ENV_TRACKING_URI] = options.tracking_uri
    # The logger opens the store in its own process while the report runs.
    tracker.prepare(key, project.root, experiment, project.tracking_uri(options.tracking_uri))
    execution = execute(
        notebook,
        parameters={PROJECT_DIR: str(project.root), **options.parameters},
        cwd=project.root,
        timeout=options.timeout,
        kernel=KernelOptions(
            name=options.kernel_name,
            preload=KERNEL_PRELOAD,
            env=env,
            on_execute=_prepare_exporter,
        ),
    )
    logger.debug("executed %s in %.2f s", notebook, execution.seconds)
    with i18n.use_language(language):
        written = _write(project, charter, execution, now)
    logger.debug("wrote %s", written.html)
    problem = written.stopped
    run_id = None
    try:
        run_id = tracker.log(
            key,
            name=written.stem,
            files=(written.notebook, written.html),
            charter_sha256=charter.content_sha256(),
            started_at=now,
            failure=problem,
        )
    except TrackingError as e:
        with i18n.use_language(language):
            reason = first_line(e)
            problem = (
                _("{problem}; not logged to MLflow: {reason}", problem=problem, reason=reason)
                if problem
                else _("written but not logged to MLflow: {reason}", reason=reason)
            )
    write_report_state(
        project, state.after("ok" if problem is None else "failed", now, written.stem)
    )
    relative = written.html.relative_to(project.root)
    with i18n.use_language(language):  # the project's line, in its report's language
        message = (
            _("wrote {path} and .ipynb", path=relative)
            if problem is None
            else _("{problem}; kept {path}", problem=problem, path=relative)
        )
    return ReportResult(
        project.root,
        ReportStatus.OK if problem is None else ReportStatus.FAILED,
        message,
        notebook=written.notebook,
        html=written.html,
        run_id=run_id,
    )


@dataclass(frozen=True)
class _Written:
    stem: str
    notebook: Path
    html: Path
    stopped: str | None
    """Where and why the report stopped, when it did."""


def _write(project: Project, charter: Charter, execution: Execution, now: dt.datetime) -> _Written:
    """Write the executed notebook and its HTML page, banner first if it stopped early."""
    import nbformat

    from codesign.reports.export import add_failure_banner, to_html

    nb = execution.notebook
    stopped = None
    if execution.failure is not None:
        stopped = add_failure_banner(
            nb, execution.failure, at=now, timezone=charter.reports.timezone
        )
        logger.info("report of %s %s", project.root, stopped)
    title = _(
        "{title}: report of {when}",
        title=charter.use_case.title,
        when=i18n.format_datetime(now, charter.reports.timezone),
    )
    page = to_html(nb, title=title)
    text = nbformat.writes(nb)  # type: ignore[no-untyped-call]
    folder = project_folder(project.root, project.reports_dir.relative_to(project.root))
    stem = free_stem(folder, project.slug_of(charter), now)
    notebook, html = folder / f"{stem}.ipynb", folder / f"{stem}.html"
    atomic_write_text(notebook, text, expected_sha256=MUST_NOT_EXIST, within=project.root)
    atomic_write(html, page.encode("utf-8"), expected_sha256=MUST_NOT_EXIST, within=project.root)
    return _Written(stem, notebook, html, stopped)


def free_stem(folder: Path, slug: str, at: dt.datetime) -> str:
    """``<slug>-<UTC time>``, a second later while that name is taken (two runs in a second)."""
    moment = at.astimezone(dt.UTC).replace(microsecond=0)
    for _attempt in range(3600):
        stem = f"{slug}-{moment:{STAMP_FORMAT}}"
        if not (folder / f"{stem}.ipynb").exists() and not (folder / f"{stem}.html").exists():
            return stem
        moment += dt.timedelta(seconds=1)
    msg = f"{folder}: no free report name near {at:%Y-%m-%d %H:%M:%S} UTC"
    raise ReportError(msg)


_EXPORTER_LOCK = threading.Lock()
_exporter_started = threading.Event()


def _prepare_exporter() -> None:
    """Build nbconvert's exporter in the background while the first report's kernel runs."""
    with _EXPORTER_LOCK:
        if _exporter_started.is_set():
            return
        _exporter_started.set()

    def load() -> None:
        from codesign.reports.export import prepare_exporter

        try:
            prepare_exporter()
        except Exception:  # the real export reports the problem, with its context
            logger.debug("preparing the HTML exporter failed", exc_info=True)

    threading.Thread(target=load, name="codesign-report-exporter", daemon=True).start()
