"""The co-design story of an ED triage assistant, step by step, through the public API.

Each step is a function of the :class:`_Story` so far that returns what a person should read about
it; :func:`run_demo` runs them in order and tells a :class:`Progress` as it goes. Nothing here is
special to the demo: it is what a hospital team and its partner do with codesign, on synthetic
data, in a few minutes.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Final, Protocol

from codesign import i18n
from codesign.demo.folder import claim, prepare_folder
from codesign.demo.models import VITAL_SIGNS, CautiousTriage, VitalSignRules, vendor_predictions
from codesign.demo.pilot import pilot_feedback
from codesign.exceptions import DemoError
from codesign.project import Project, embedded_tracking_uri
from codesign.system import runnable

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from codesign.governance import GateResult
    from codesign.reports import ReportResult
    from codesign.tracking import Comparison, IterationOptions, IterationResult

logger = logging.getLogger(__name__)

DEFAULT_FOLDER: Final = Path("codesign-demo")
PROJECT_NAME: Final = "Nurse triage assistant"
CLINICAL_LEAD: Final = "Dr A. Martin"
PARTNER: Final = "Example Health AI"
SITE: Final = "Example University Hospital"
TIMEZONE: Final = "Europe/Paris"

RAW_EXTRACT: Final = "ed_raw_extract.csv"
EXTRACT: Final = "ed_extract.csv"
VENDOR_FILE: Final = "vendor_predictions.csv"
VENDOR_EVALUATION: Final = "vendor_evaluation.csv"
TRAINING_SHARE: Final = 0.6
"""The earliest visits train the in-house models; the later ones evaluate every iteration."""

BASELINE: Final = "v1-rules"
IMPROVED: Final = "v2-gbm-pilot"
VENDOR: Final = "v3-vendor"

ALERT_OUTCOME: Final[dict[str, object]] = {
    "id": "alert_precision",
    "title": "Most high-acuity alerts are right",
    "category": "adoption",
    "metric": "ppv",
    "target": ">= 0.5",
    "owner": "B. Lefèvre",
    "params": {"levels": [1, 2]},
    "rationale": (
        "Nurses stop reading alerts that are mostly wrong; at least one in two must be a real "
        "level 1 or 2."
    ),
}
"""The outcome the nurses asked for in the workshop: alarm fatigue ends pilots."""
SIGNERS: Final = ("clinical lead", "head triage nurse", "data protection officer")
HAZARD_MONITORING: Final[dict[str, tuple[str, ...]]] = {
    "H1": ("under_triage", "high_acuity_sensitivity"),
    "H2": ("sex_gap",),
    "H3": ("over_triage",),
}
"""The outcomes the workshop agrees will monitor each hazard of the triage preset."""


@dataclass(frozen=True)
class StoryWords:
    """What the people of the story write, in one language (the preset's, the charter's)."""

    project_name: str
    partner: str
    site: str
    alert_title: str
    alert_rationale: str
    stage_reason: str
    signers: tuple[str, ...]
    """Roles of the stakeholders who sign the charter at the end of the workshop."""
    sign_comment: str


STORY_WORDS: Final[dict[str, StoryWords]] = {
    "en": StoryWords(
        project_name=PROJECT_NAME,
        partner=PARTNER,
        site=SITE,
        alert_title=str(ALERT_OUTCOME["title"]),
        alert_rationale=str(ALERT_OUTCOME["rationale"]),
        stage_reason="Pilot of the in-house model agreed at the co-design workshop",
        signers=SIGNERS,
        sign_comment="Approved at the co-design workshop",
    ),
    "fr": StoryWords(
        project_name="Assistant d'orientation infirmière",
        partner="Exemple Santé IA",
        site="CHU Exemple",
        alert_title="La plupart des alertes de gravité sont justes",
        alert_rationale=(
            "Les infirmières cessent de lire des alertes le plus souvent fausses ; au moins une "
            "sur deux doit être un vrai niveau 1 ou 2."
        ),
        stage_reason="Pilote du modèle interne décidé à l'atelier de co-conception",
        signers=(
            "responsable clinique",
            "cadre infirmier de l'accueil",
            "délégué à la protection des données",
        ),
        sign_comment="Approuvé à l'atelier de co-conception",
    ),
}
"""The story's words in each language of codesign (``codesign demo --lang fr``)."""


@dataclass(frozen=True)
class DemoOptions:
    """Where the demo goes and how much data it draws; every field is optional.

    ``folder``: the demo's own folder (replaced only if it holds an earlier demo: ``force``, or
    ``confirm(question)`` answering yes). ``rows``: visits in the synthetic extract.
    ``seed``: the extract's seed (the same seed tells the same story).
    """

    folder: Path = DEFAULT_FOLDER
    force: bool = False
    confirm: Callable[[str], bool] | None = None
    rows: int = 8000
    seed: int = 2026
    language: str | None = None
    """en | fr: the story's language (preset, workshop, report); ``None``: the current one."""

    def __post_init__(self) -> None:
        if not 1000 <= self.rows <= 200_000:
            msg = f"rows: expected 1000 to 200000 visits, got {self.rows}"
            raise DemoError(msg)


@dataclass(frozen=True)
class StepReport:
    """One finished step: what to read about it and how long it took."""

    number: int
    total: int
    title: str
    lines: tuple[str, ...]
    seconds: float


class Progress(Protocol):
    """Told as the demo goes (the command line prints; a test may record)."""

    def started(self, number: int, total: int, title: str) -> None: ...

    def finished(self, step: StepReport) -> None: ...


@dataclass
class _Story:
    """What the steps have made so far."""

    options: DemoOptions
    folder: Path
    words: StoryWords = STORY_WORDS["en"]
    language: str = "en"
    project: Project | None = None
    tracking_uri: str = ""
    gates: list[GateResult] = field(default_factory=list)
    iterations: list[IterationResult] = field(default_factory=list)
    comparison: Comparison | None = None
    report: ReportResult | None = None

    @property
    def where(self) -> Project:
        if self.project is None:  # the steps run in order; scaffolding sets it
            msg = "the demo's project does not exist yet"
            raise DemoError(msg)
        return self.project

    def data(self, name: str) -> Path:
        return self.where.data_dir / name


@dataclass(frozen=True)
class DemoResult:
    """Everything the demo made, for the closing message and for tests."""

    folder: Path
    project: Path
    tracking_uri: str
    gates: tuple[GateResult, ...]
    iterations: tuple[IterationResult, ...]
    comparison: Comparison
    report: ReportResult
    steps: tuple[StepReport, ...]

    @property
    def ok(self) -> bool:
        """Whether the report ran (the one step that may fail without raising)."""
        from codesign.reports import ReportStatus

        return self.report.status is ReportStatus.OK

    def next_steps(self) -> list[str]:
        """How to look at what the demo made."""
        lines = []
        if self.report.html is not None:
            lines.append(f"Report: {self.report.html}")
            lines.append(f"  open it in a browser: {self.report.html.as_uri()}")
        from codesign.tracking.store import runs_url

        experiment_id = self.iterations[-1].experiment_id if self.iterations else ""
        runs = (
            runs_url("http://127.0.0.1:5000", experiment_id)
            if experiment_id
            else "http://127.0.0.1:5000"
        )
        lines += [
            f"MLflow UI: {runnable('mlflow')} ui --backend-store-uri {self.tracking_uri} "
            "--port 5000",
            f"  then open {runs} (the iterations of {self.comparison.experiment})",
            f"Workshop notebook: {runnable('codesign')} lab --project {self.project}",
            f"Governance Data Docs: {Project.at(self.project).data_docs_dir / 'index.html'}",
        ]
        return lines


# --- the steps -----------------------------------------------------------------------------------


def _scaffold(story: _Story) -> list[str]:
    from codesign.scaffold import ProjectSpec, create_project

    words = story.words
    spec = ProjectSpec.from_name(
        words.project_name,
        preset="triage",
        clinical_lead=CLINICAL_LEAD,
        partner_organisation=words.partner,
        site=words.site,
        timezone=TIMEZONE,
        language=story.language,
    )
    claim(story.folder, spec.project_slug)  # listed in the demo's manifest before it exists
    root = create_project(spec, story.folder)
    story.project = Project.at(root)
    story.tracking_uri = embedded_tracking_uri(root)
    charter = story.where.load_charter().charter
    return [
        f"created {root} from the triage preset (codesign new)",
        f"{len(charter.outcomes)} outcomes proposed, {len(charter.stakeholders)} stakeholders, "
        f"{len(charter.data_contract.columns)} columns in the data contract",
    ]


def _workshop(story: _Story) -> list[str]:
    """The workshop's edits, saved the way the forms save them (a :class:`CharterSession`)."""
    from codesign.charter import Outcome, Stage
    from codesign.widgets import CharterSession

    session = CharterSession.open(story.where.root)
    charter = session.charter
    words = story.words
    alert = {**ALERT_OUTCOME, "title": words.alert_title, "rationale": words.alert_rationale}
    charter.outcomes.append(Outcome.model_validate(alert))
    charter.use_case.stage = Stage.PILOT
    charter.use_case.stage_reason = words.stage_reason
    for hazard in charter.risks:  # the outcomes the team agreed will watch each hazard
        hazard.monitoring = list(HAZARD_MONITORING.get(hazard.id, ()))
    session.edited()
    session.save()
    signed = []
    for role in words.signers:
        person = next(s for s in charter.stakeholders if s.role == role)
        charter.sign(person.name, person.role, comment=words.sign_comment)
        signed.append(f"{person.name} ({role})")
    session.edited()
    session.save()
    added = charter.outcomes[-1]
    return [
        f"added outcome {added.id}: {added.title.lower()} ({added.metric} {added.target}), "
        "asked for by the nurses",
        f"stage: co-design -> pilot; {len(charter.outcomes)} outcomes with targets and owners",
        f"signed off by {', '.join(signed)}",
    ]


def _governance(story: _Story) -> list[str]:
    """The raw extract fails the gate (identifiers left in); the de-identified one passes."""
    from codesign.governance import run_gate
    from codesign.synthetic import ed_extract, raw_extract

    options = story.options
    raw = raw_extract(options.rows, seed=options.seed)
    raw.frame.to_csv(story.data(RAW_EXTRACT), index=False)
    failed = run_gate(story.data(RAW_EXTRACT), story.where)
    clean = ed_extract(options.rows, seed=options.seed)
    clean.to_csv(story.data(EXTRACT), index=False)
    passed = run_gate(story.data(EXTRACT), story.where)
    story.gates += [failed, passed]
    if failed.passed or not passed.passed:  # the synthetic data guarantees both; say if not
        msg = "the governance gate did not tell raw and de-identified data apart"
        raise DemoError(msg)
    lines = [
        f"raw extract ({failed.rows} visits, identifiers left in): FAILED, "
        f"{len(failed.findings)} findings (counts only, never a value):"
    ]
    lines += [
        f"  {f.column}: {f.label} in {f.count} row(s)"
        for f in sorted(failed.findings, key=lambda f: (f.column, f.category))
    ]
    lines.append(
        f"de-identified extract ({passed.rows} visits): passed; Data Docs in "
        f"{story.where.data_docs_dir.relative_to(story.where.root)}/"
    )
    return lines


def _iterations(story: _Story) -> list[str]:
    """Two in-house models and a vendor's predictions, measured against the same charter."""
    import pandas as pd

    from codesign.charter.feedback import append_feedback
    from codesign.synthetic import ed_extract
    from codesign.tracking import ModelInputs, track, track_model

    extract = pd.read_csv(story.data(EXTRACT))
    cut = int(len(extract) * TRAINING_SHARE)
    train, evaluation = extract.iloc[:cut], _evaluation_frame(extract.iloc[cut:])
    levels = train["triage_level"].to_numpy()
    baseline = VitalSignRules().fit(train)
    story.iterations.append(
        track_model(
            baseline,
            evaluation,
            project=story.where,
            options=_options(story, BASELINE),
            inputs=ModelInputs(features=VITAL_SIGNS, output="level"),
        )
    )
    start = dt.datetime(2026, 3, 2, tzinfo=dt.UTC)
    feedback = pilot_feedback(IMPROVED, seed=story.options.seed, start=start)
    append_feedback(story.where.feedback_path, feedback)
    improved = CautiousTriage(seed=story.options.seed).fit(train, levels)
    story.iterations.append(
        track_model(
            improved,
            evaluation,
            project=story.where,
            options=_options(story, IMPROVED),
            inputs=ModelInputs(features=tuple(improved.feature_names_in_), output="level"),
        )
    )
    history = ed_extract(len(train), seed=story.options.seed + 1)
    handed_over = vendor_predictions(history, evaluation)
    handed_over.to_csv(story.data(VENDOR_FILE), index=False)
    joined = handed_over.merge(evaluation[["encounter_id", "level_true", "sex"]], on="encounter_id")
    joined.to_csv(story.data(VENDOR_EVALUATION), index=False)
    story.iterations.append(
        track(story.data(VENDOR_EVALUATION), project=story.where, options=_options(story, VENDOR))
    )
    return [
        f"{len(train)} earlier visits train the in-house models; every iteration is measured on "
        f"the {len(evaluation)} later ones",
        *(_iteration_line(it) for it in story.iterations),
        f"pilot feedback on {IMPROVED}: {len(feedback)} records (SUS, trust, time-motion) in "
        f"{story.where.feedback_path.relative_to(story.where.root)}",
    ]


def _compare(story: _Story) -> list[str]:
    from codesign.tracking import compare

    story.comparison = compare(story.where, tracking_uri=story.tracking_uri)
    return story.comparison.text(last=None).splitlines()


def _report(story: _Story) -> list[str]:
    from codesign.reports import ReportOptions, ReportStatus, run_report

    story.report = run_report(story.where, ReportOptions(tracking_uri=story.tracking_uri))
    status = "written" if story.report.status is ReportStatus.OK else "FAILED"
    return [f"report {status}: {story.report.message}"]


STEPS: Final[tuple[tuple[str, Callable[[_Story], list[str]]], ...]] = (
    ("Scaffold the use case", _scaffold),
    ("Workshop: outcomes, targets, sign-off", _workshop),
    ("Governance gate on the data", _governance),
    ("Model iterations: in-house, improved, vendor", _iterations),
    ("Compare the iterations against the charter", _compare),
    ("Report (Papermill, HTML without code)", _report),
)


def run_demo(options: DemoOptions | None = None, progress: Progress | None = None) -> DemoResult:
    """Tell the whole story in ``options.folder``; returns what it made.

    Raises :class:`DemoError` when the folder cannot be used (see
    :func:`~codesign.demo.folder.prepare_folder`), before anything is written. A report that
    fails is not raised: :attr:`DemoResult.ok` says so.
    """
    options = options or DemoOptions()
    folder = prepare_folder(options.folder, force=options.force, confirm=options.confirm)
    language = options.language or i18n.current_language()
    story = _Story(options=options, folder=folder, words=STORY_WORDS[language], language=language)
    steps = []
    for number, (title, step) in enumerate(STEPS, start=1):
        if progress is not None:
            progress.started(number, len(STEPS), title)
        began = time.perf_counter()
        lines = step(story)
        report = StepReport(number, len(STEPS), title, tuple(lines), time.perf_counter() - began)
        logger.info("demo step %d/%d done in %.1f s: %s", number, len(STEPS), report.seconds, title)
        steps.append(report)
        if progress is not None:
            progress.finished(report)
    if story.comparison is None or story.report is None:
        msg = "the demo stopped before its report"
        raise DemoError(msg)
    return DemoResult(
        folder=folder,
        project=story.where.root,
        tracking_uri=story.tracking_uri,
        gates=tuple(story.gates),
        iterations=tuple(story.iterations),
        comparison=story.comparison,
        report=story.report,
        steps=tuple(steps),
    )


# --- pieces --------------------------------------------------------------------------------------


def _evaluation_frame(visits: pd.DataFrame) -> pd.DataFrame:
    """The later visits with the reference level as ``level_true``, as tracking expects it."""
    return visits.rename(columns={"triage_level": "level_true"}).reset_index(drop=True)


def _options(story: _Story, name: str) -> IterationOptions:
    from codesign.tracking import IterationOptions

    return IterationOptions(
        name=name,
        data=story.data(EXTRACT),
        tracking_uri=story.tracking_uri,
        source="codesign demo",
    )


def _iteration_line(iteration: IterationResult) -> str:
    counts = iteration.evaluation.counts()
    return (
        f"{iteration.name}: {counts['met']} met, {counts['not met']} not met, "
        f"{counts['not measured']} not measured (data: {iteration.gate_text})"
    )
