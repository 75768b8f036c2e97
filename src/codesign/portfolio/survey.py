"""Read every project under the roots into a :class:`~codesign.portfolio.model.Portfolio`.

Per project: the charter (:func:`codesign.charter.load_charter`), the finished iterations
(:func:`codesign.tracking.read_iterations`: plain read-only SQLite for an embedded store, the
MLflow client for a server), the latest governance gate result, the latest report and the dates
of recent activity. Each part is read on its own, so a corrupt store or an unreadable gate result
costs only that part: the initiative is still shown, with the reason in ``problems``. One
project never stops the others.

The cost per project is the charter's parse plus a few small reads, with no MLflow import for
embedded stores and no process started, so a portfolio of 300 projects takes a few times the
time of parsing their 300 charters (``bench/portfolio.py``). Tracking servers are probed once per
address, not once per project: a server that is down costs one timeout, not 300.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from codesign.charter.model import Side
from codesign.exceptions import (
    CharterError,
    CodesignError,
    FileReadError,
    PortfolioError,
    TrackingError,
)
from codesign.i18n import N_, _
from codesign.portfolio.flags import flags_for
from codesign.portfolio.model import (
    DEFAULT_STALE_AFTER_DAYS,
    Activity,
    EvidenceTally,
    GateRun,
    Initiative,
    LatestIteration,
    OutcomeTally,
    Portfolio,
)
from codesign.portfolio.report_files import latest_report
from codesign.project import (
    Project,
    ReportState,
    latest_gate_result,
    read_report_state,
    scan_projects,
)
from codesign.system import first_line, os_reason
from codesign.timeutil import as_utc
from codesign.tracking.comparison import build_comparison
from codesign.tracking.gating import findings_by_category, gate_history
from codesign.tracking.promotion import read_promotions, stage_standing
from codesign.tracking.reading import read_iterations
from codesign.tracking.standing import read_project_feedback, standing_of
from codesign.tracking.store import sqlite_path

if TYPE_CHECKING:
    from collections.abc import Iterable

    from codesign.charter.model import Charter
    from codesign.project import GateStatus, UnreadableFolder
    from codesign.tracking.comparison import Comparison
    from codesign.tracking.reading import IterationRecord
    from codesign.tracking.standing import Standing

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PortfolioOptions:
    """How to build a portfolio; every field is optional.

    ``now``: the clock the activity flag is judged against (default: the current UTC time; tests
    and reproducible reports pass one). ``stale_after_days``: days without activity before an
    initiative is flagged. ``tracking_uri``: the tracking store of every project, overriding
    ``CODESIGN_TRACKING_URI`` and the embedded stores (see :func:`codesign.config.tracking_uri`).
    """

    now: dt.datetime | None = None
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS
    tracking_uri: str | None = None

    def __post_init__(self) -> None:
        if self.stale_after_days < 1:
            msg = f"stale_after_days: expected a number of days >= 1, got {self.stale_after_days}"
            raise PortfolioError(msg)
        if self.now is not None and self.now.tzinfo is None:
            object.__setattr__(self, "now", self.now.replace(tzinfo=dt.UTC))


def build_portfolio(
    roots: Iterable[Path | str], options: PortfolioOptions | None = None
) -> Portfolio:
    """Every initiative under ``roots``; projects that cannot be read are listed, not fatal.

    Raises :class:`~codesign.exceptions.PortfolioError` for a root that is not a folder (a
    mistyped path would otherwise give an empty portfolio that looks like a real one).
    """
    options = options or PortfolioOptions()
    folders = _checked_roots(roots)
    now = options.now or dt.datetime.now(dt.UTC)
    scan = scan_projects(folders)
    stores = _Stores()
    initiatives = [
        _flagged(_survey_project(root, options, stores), now, options) for root in scan.projects
    ]
    initiatives.extend(_flagged(_unreadable(folder), now, options) for folder in scan.unreadable)
    initiatives.sort(key=lambda i: (i.name.casefold(), str(i.path)))
    logger.info(
        "portfolio: %d initiatives under %d root(s), %d cannot be read fully",
        len(initiatives),
        len(folders),
        sum(1 for i in initiatives if i.broken),
    )
    return Portfolio(
        roots=tuple(folders),
        generated_at=now,
        stale_after_days=options.stale_after_days,
        initiatives=tuple(initiatives),
    )


def _checked_roots(roots: Iterable[Path | str]) -> list[Path]:
    folders = [Path(root).expanduser().resolve() for root in roots]
    if not folders:
        msg = "no root folder given: name the folders to search for projects"
        raise PortfolioError(msg)
    for folder in folders:
        if not folder.is_dir():
            what = "does not exist" if not folder.exists() else "is not a folder"
            msg = f"{folder}: {what}; expected a folder holding codesign projects"
            raise PortfolioError(msg)
    return folders


def _flagged(initiative: Initiative, now: dt.datetime, options: PortfolioOptions) -> Initiative:
    flags = flags_for(initiative, now=now, stale_after_days=options.stale_after_days)
    return dataclasses.replace(initiative, flags=flags)


def _unreadable(folder: UnreadableFolder) -> Initiative:
    return Initiative(
        path=folder.path,
        problems=(
            _(
                "{path}: cannot read this folder ({reason}); it may hold projects",
                path=folder.path,
                reason=folder.reason,
            ),
        ),
    )


# --- one project -------------------------------------------------------------------------------


def survey_project(root: Path | str, options: PortfolioOptions | None = None) -> Initiative:
    """One project as an initiative (flags not set yet: :func:`build_portfolio` adds them).

    Never raises for a problem of the project itself: that becomes one of its ``problems``.
    """
    return _survey_project(Path(root), options or PortfolioOptions(), _Stores())


def _survey_project(root: Path, options: PortfolioOptions, stores: _Stores) -> Initiative:
    project = Project(root)
    try:
        charter = project.load_charter().charter
    except CharterError as e:  # nothing else can be read without the charter
        logger.warning("%s", first_line(e))
        return Initiative(path=project.root, problems=(str(e),))
    try:
        return _survey(project, charter, options, stores)
    except CodesignError as e:
        problem = str(e)
    except Exception as e:  # a safety net: one project never stops a portfolio of 300
        logger.debug("unexpected error reading %s", project.root, exc_info=True)
        problem = _(
            "{path}: could not be read ({error}); run with -vv to see the details",
            path=project.root,
            error=type(e).__name__,
        )
    logger.warning("%s", problem)
    return Initiative(path=project.root, problems=(problem,))


def _survey(
    project: Project, charter: Charter, options: PortfolioOptions, stores: _Stores
) -> Initiative:
    slug = project.slug_of(charter)
    current = charter.content_sha256()
    problems: list[str] = []
    initiative = _from_charter(project, charter, current)

    records = _iterations(project, slug, options, stores, problems)
    if records is not None:
        comparison = build_comparison(charter, slug, records)
        standing = standing_of(
            charter, records, feedback=read_project_feedback(project), comparison=comparison
        )
        initiative = _with_iterations(initiative, comparison, standing)
        initiative = dataclasses.replace(
            initiative, evidence=_evidence(project, charter, records, standing, problems)
        )
    promotions = read_promotions(project)
    stage = stage_standing(charter, promotions)
    initiative = dataclasses.replace(
        initiative,
        stage=stage.stage,
        stage_problem=stage.problem(),
        gate_history=_gate_runs(project),
        promotion=promotions[-1] if promotions else None,
    )

    gate = _gate(project, problems)
    if gate is not None:
        status, checked_at, charter_sha = gate
        initiative = dataclasses.replace(
            initiative,
            governance=status,
            governance_checked_at=checked_at,
            governance_current=None if charter_sha is None else charter_sha == current,
        )

    try:
        report = latest_report(project.reports_dir)
    except OSError as e:
        report = None
        problems.append(
            _(
                "{path}: cannot read the reports folder ({reason})",
                path=project.reports_dir,
                reason=os_reason(e),
            )
        )
    try:
        state = read_report_state(project)
    except FileReadError as e:  # a FIFO or a device planted there: shown, never waited on
        state = ReportState()
        problems.append(str(e))
    initiative = dataclasses.replace(
        initiative,
        report=report,
        report_status=state.last_status,
        report_attempted_at=state.last_attempt,
    )
    activity = _last_activity(project, charter, initiative)
    for problem in problems:
        logger.warning("%s", problem)
    return dataclasses.replace(initiative, last_activity=activity, problems=tuple(problems))


def _from_charter(project: Project, charter: Charter, current_sha256: str) -> Initiative:
    use_case = charter.use_case
    lead = charter.clinical_lead
    partner = use_case.partner or next(
        (s.organisation for s in charter.stakeholders if s.side is Side.PARTNER and s.organisation),
        None,
    )
    valid = sum(1 for s in charter.signoffs if s.charter_sha256 == current_sha256)
    return Initiative(
        path=project.root,
        title=use_case.title,
        slug=project.slug_of(charter),
        site=use_case.site,
        stage=use_case.stage,
        clinical_lead=lead.name if lead is not None else None,
        partner=partner,
        decision=charter.decision.choice,
        outcomes_total=len(charter.outcomes),
        signoffs_valid=valid,
        signoffs_outdated=len(charter.signoffs) - valid,
    )


def _evidence(
    project: Project,
    charter: Charter,
    records: list[IterationRecord],
    standing: Standing,
    problems: list[str],
) -> EvidenceTally | None:
    """The evidence items, judged on the standing the portfolio shows (as ``codesign evidence``)."""
    from codesign.evidence import assess, facts_of

    try:
        evidence = assess(facts_of(project, charter, records, standing))
    except CodesignError as e:  # an unknown required item: the charter's own mistake
        problems.append(str(e))
        return None
    counts = Counter(item.status for f in evidence.frameworks for item in f.items)
    return EvidenceTally(
        evidenced=counts["evidenced"],
        partial=counts["partial"],
        missing=counts["missing"],
        required_missing=tuple(item.id for item in evidence.required_missing()),
    )


def _iterations(
    project: Project,
    slug: str,
    options: PortfolioOptions,
    stores: _Stores,
    problems: list[str],
) -> list[IterationRecord] | None:
    uri = project.tracking_uri(options.tracking_uri)
    unreachable = stores.unreachable(uri)
    if unreachable is not None:
        problems.append(unreachable)
        return None
    try:
        return read_iterations(project, tracking_uri=options.tracking_uri, experiment=slug)
    except TrackingError as e:
        problems.append(str(e))
    except OSError as e:
        where = sqlite_path(uri) or uri
        problems.append(
            _("{path}: cannot read the tracking store ({reason})", path=where, reason=os_reason(e))
        )
    return None


def _with_iterations(
    initiative: Initiative, comparison: Comparison, standing: Standing
) -> Initiative:
    """Iteration count and the judged (latest) iteration's standing, tally and regressions."""
    if standing.iteration is None:
        return dataclasses.replace(initiative, iterations=0, standing=standing)
    judged = standing.iteration
    counts = standing.counts()
    return dataclasses.replace(
        initiative,
        iterations=len(comparison.iterations),
        latest_iteration=LatestIteration(run_id=judged.run_id, started_at=judged.started_at),
        outcomes=OutcomeTally(
            met=counts["met"],
            measured=counts["met"] + counts["not met"],
            total=len(standing.outcomes),
        ),
        regressing=tuple(o.id for o in standing.outcomes if o.regression),
        standing=standing,
    )


def _gate_runs(project: Project) -> tuple[GateRun, ...]:
    """The project's gate history as counts per category, newest first."""
    return tuple(
        GateRun(
            checked_at=record.checked_at,
            passed=record.passed,
            rows=record.rows,
            findings=findings_by_category(record),
        )
        for record in gate_history(project)
    )


def _gate(
    project: Project, problems: list[str]
) -> tuple[GateStatus, dt.datetime | None, str | None] | None:
    """(status, checked at, charter hash) of the latest gate result; ``None`` if unreadable."""
    record = latest_gate_result(project)
    if record is not None:
        return record.status, record.checked_at, record.charter_sha256
    path = project.latest_gate_result_path
    try:
        present = path.exists()
    except OSError as e:
        problems.append(
            _(
                "{path}: cannot read the latest gate result ({reason})",
                path=path,
                reason=os_reason(e),
            )
        )
        return None
    if not present:
        return "not run", None, None
    problems.append(
        _(
            "{path}: unreadable gate result (not a gate result codesign wrote); run the "
            "governance gate again to replace it",
            path=path,
        )
    )
    return None


def _last_activity(project: Project, charter: Charter, initiative: Initiative) -> Activity | None:
    """The latest dated event: iteration, gate, report, sign-off, charter or feedback edit.

    Charter and feedback edits are dated by the files' modification times: a workshop that
    changes outcomes or records feedback is activity even when nothing is logged elsewhere.
    """
    events: list[Activity] = []
    if initiative.latest_iteration is not None:
        events.append(Activity(initiative.latest_iteration.started_at, N_("iteration")))
    if initiative.governance_checked_at is not None:
        events.append(Activity(as_utc(initiative.governance_checked_at), N_("governance gate")))
    if initiative.report is not None:
        events.append(Activity(initiative.report.created_at, N_("report")))
    if charter.signoffs:
        events.append(Activity(max(s.signed_at for s in charter.signoffs), N_("sign-off")))
    for path, kind in (
        (project.charter_path, N_("charter edited")),
        (project.feedback_path, N_("feedback")),
    ):
        with contextlib.suppress(OSError):
            events.append(Activity(dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC), kind))
    return max(events, key=lambda event: event.at, default=None)


class _Stores:
    """Which tracking servers answer, asked once per address for the whole portfolio."""

    def __init__(self) -> None:
        self._checked: dict[str, str | None] = {}

    def unreachable(self, uri: str) -> str | None:
        """Why ``uri`` cannot be read (a server that does not answer), else ``None``."""
        if sqlite_path(uri) is not None or not uri.startswith(("http://", "https://")):
            return None
        if uri not in self._checked:
            from codesign.tracking.store import probe

            try:
                probe(uri)
                self._checked[uri] = None
            except TrackingError as e:
                self._checked[uri] = str(e).removesuffix(" Nothing was logged.")
        return self._checked[uri]
