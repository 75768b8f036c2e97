"""Log one model iteration: measure it against the charter, record it as one MLflow run.

Whoever made the model (the hospital's team, a partner, a vendor who only hands over a file of
predictions), the iteration is measured the same way, against the same charter. Three entry
points, one result:

* :func:`track` — a predictions file (what ``codesign track`` calls), a DataFrame of
  predictions, or :class:`~codesign.tracking.predictions.Predictions`;
* :func:`track_model` — a fitted scikit-learn-style model and an evaluation frame;
* :func:`log_iteration` — the common core both call.

The run holds: one metric per outcome keyed by the outcome id, every other metric computable
(``all/<metric>``), a verdict tag per outcome (``codesign.verdict.<id>``: met, not met, not
measured) with its target (``codesign.target.<id>``), the charter snapshot
(``charter/codesign.yaml``) and hash (``codesign.charter_sha256``), the governance status of the
data (``codesign.governance``: passed, failed, not run), who ran it (``codesign.author`` and
``mlflow.user``) and the predictions' SHA-256 (``codesign.predictions_sha256``), never their
content.

Governance status: the gate records its results by the SHA-256 of the data it checked
(:func:`codesign.project.gate_status`). The data an iteration was evaluated on is identified by
``IterationOptions.data`` (``codesign track --data FILE``: the evaluation extract the gate ran
on); without it, by the predictions file itself, for a vendor's file the gate was run on.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from codesign.charter.feedback import feedback_for, read_feedback
from codesign.exceptions import DataError, TrackingError
from codesign.fileio import sha256_file
from codesign.i18n import N_, _, format_integer, project_language
from codesign.presentation import esc, number, text_table
from codesign.project import Project
from codesign.system import current_user, os_reason
from codesign.tracking import reading
from codesign.tracking.datasets import evaluation_dataset, gated_dataset
from codesign.tracking.evaluation import (
    PANEL_PREFIX,
    column_needs,
    evaluate,
    evaluation_html,
    evaluation_rows,
    group_columns,
    verdict_text,
)
from codesign.tracking.gating import checked_reason, gate_for_iteration
from codesign.tracking.predictions import (
    MODEL_SOURCE_SUFFIX,
    Predictions,
    predictions_from_frame,
    predictions_from_model,
    read_predictions,
)
from codesign.tracking.store import RunContent, log_run, open_project_experiment, run_url
from codesign.tracking.tags import (
    KIND_ITERATION,
    PARAM_COLUMNS,
    PARAM_FEEDBACK_RECORDS,
    PARAM_ROWS,
    TAG_AUTHOR,
    TAG_CHARTER,
    TAG_DATA,
    TAG_FEEDBACK,
    TAG_GATE_OVERRIDE,
    TAG_GOVERNANCE,
    TAG_KIND,
    TAG_PREDICTIONS,
    TAG_PREDICTIONS_SOURCE,
    TAG_TARGET,
    TAG_VERDICT,
    TAG_VERSION,
)

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    import pandas as pd

    from codesign.charter.document import CharterFile
    from codesign.charter.feedback import FeedbackRecord
    from codesign.charter.model import Charter
    from codesign.project import GateStatus
    from codesign.tracking.evaluation import (
        Evaluation,
        OutcomeResult,
    )
    from codesign.tracking.predictions import (
        ModelInputs,
    )
    from codesign.tracking.reading import IterationRecord

logger = logging.getLogger(__name__)

MAX_NAME_LENGTH: Final = 200
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")
CHARTER_ARTIFACT: Final = "charter/codesign.yaml"
EVALUATION_ARTIFACT: Final = "codesign/evaluation.json"

ProjectLike = Project | Path | str


@dataclass(frozen=True)
class IterationOptions:
    """How to log an iteration; every field is optional.

    ``name``: the iteration's name (default: the predictions file's or model's name and the UTC
    time). ``feedback``: a feedback records file (default: the project's
    ``feedback/records.csv`` when it exists); ``use_feedback=False`` ignores feedback.
    ``data``: the data file the iteration was evaluated on, whose governance gate result is
    recorded (default: the predictions file). ``author``: who ran it (default: the OS user).
    ``tracking_uri``: overrides the environment and the embedded store (see
    :func:`codesign.config.tracking_uri`). ``source``: how it was logged, for MLflow's source
    tag. ``override_gate``: why the iteration may be logged although its data's latest gate
    result failed; recorded with the run and shown wherever its numbers appear.
    """

    name: str | None = None
    feedback: Path | None = None
    use_feedback: bool = True
    data: Path | None = None
    author: str | None = None
    tracking_uri: str | None = None
    source: str = "codesign (Python)"
    override_gate: str | None = None


_GATE_TEXTS: Final[Mapping[str, str]] = {
    "passed": N_("passed"),
    "failed": N_("failed"),
    "not run": N_("not gated"),
}
"""The data's gate status in words, as the terminal's table says it."""


@dataclass(frozen=True)
class IterationResult:
    """A logged iteration: its run, and every outcome measured against the charter."""

    run_id: str
    name: str
    experiment: str
    evaluation: Evaluation
    governance: GateStatus
    charter_sha256: str
    predictions_sha256: str | None
    data_sha256: str | None
    author: str
    run_url: str | None = None
    """The run's page in the MLflow UI, when logged to a tracking server."""
    gate_override: str | None = None
    """Why it was logged although its data failed the gate (``--override-gate``)."""
    experiment_id: str = ""
    """The MLflow experiment's id, for links to its runs table."""
    language: str | None = None
    """The charter's ``language:``: the terminal's table is written in it unless ``--lang`` or
    ``CODESIGN_LANG`` chose another."""

    @property
    def gate_text(self) -> str:
        """The data's gate status as people read it: ``passed``, ``not gated``, ``failed
        (overridden: REASON)``, in the current language."""
        text = _(_GATE_TEXTS.get(self.governance, self.governance))
        if self.gate_override:
            return _("{gate} (overridden: {reason})", gate=text, reason=self.gate_override)
        return text

    @property
    def outcomes(self) -> tuple[OutcomeResult, ...]:
        return self.evaluation.outcomes

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md section 5's ``track`` document (with a few added fields)."""
        return {
            "run_id": self.run_id,
            "name": self.name,
            "outcomes": [outcome.to_json() for outcome in self.outcomes],
            "experiment": self.experiment,
            "governance": self.governance,
            "gate_override": self.gate_override,
            "charter_sha256": self.charter_sha256,
            "predictions_sha256": self.predictions_sha256,
            "rows": self.evaluation.rows,
            "feedback_records": self.evaluation.feedback_records,
            "run_url": self.run_url,
        }

    def __str__(self) -> str:
        with project_language(self.language):
            return iteration_text(self)

    def _repr_html_(self) -> str:
        return iteration_html(self)


# --- entry points ------------------------------------------------------------------------------


def track(
    predictions: Predictions | Path | str | pd.DataFrame | None,
    *,
    project: ProjectLike | None = None,
    options: IterationOptions | None = None,
) -> IterationResult:
    """Log an iteration from predictions: a file, a DataFrame or checked :class:`Predictions`.

    ``None`` logs an iteration measured on the feedback records alone (a documentation
    assistant has no ``y_true``: its outcomes are the clinicians' ratings).
    """
    where = _project(project)
    options = options or IterationOptions()
    charter_file = where.load_charter()
    checked = None if predictions is None else _checked(predictions, charter_file)
    return log_iteration(where, checked, options, charter_file=charter_file)


def track_model(
    model: Any,
    frame: pd.DataFrame,
    *,
    project: ProjectLike | None = None,
    options: IterationOptions | None = None,
    inputs: ModelInputs | None = None,
) -> IterationResult:
    """Log an iteration from a fitted scikit-learn-style model and an evaluation frame.

    The frame holds the model's features, the reference (``y_true``, or ``level_true`` with
    ``ModelInputs(output="level")``) and the subgroup columns the charter compares across. See
    :func:`~codesign.tracking.predictions.predictions_from_model`.
    """
    where = _project(project)
    options = options or IterationOptions()
    charter_file = where.load_charter()
    charter = charter_file.charter
    predictions = predictions_from_model(
        model,
        frame,
        inputs,
        group_columns=group_columns(charter),
        needed_by=column_needs(charter),
    )
    return log_iteration(where, predictions, options, charter_file=charter_file)


def log_iteration(
    project: ProjectLike,
    predictions: Predictions | None,
    options: IterationOptions | None = None,
    *,
    charter_file: CharterFile | None = None,
) -> IterationResult:
    """Measure ``predictions`` (and the feedback) against the charter and log one run.

    Everything is computed before the run is created, so a failure in the data never leaves a
    run behind; a failure of the store while logging marks the run FAILED
    (see :func:`~codesign.tracking.store.log_run`).
    """
    where = _project(project)
    options = options or IterationOptions()
    charter_file = charter_file or where.load_charter()
    charter = charter_file.charter
    _require_outcomes(where, charter)
    override = checked_reason(options.override_gate)
    uri = where.tracking_uri(options.tracking_uri)
    experiment = where.slug_of(charter)
    name = unique_name(options.name, predictions, reading.read_store(uri, experiment))
    feedback, feedback_sha = _feedback(where, options, name)
    if predictions is None and feedback_sha is None:
        msg = (
            f"{where.root}: nothing to measure; give a predictions file, or feedback records "
            f"({where.feedback_path.relative_to(where.root)} or --feedback FILE)"
        )
        raise DataError(msg)
    data_sha = _data_sha256(options, predictions)
    governance = gate_for_iteration(where, data_sha, _data_label(options, predictions), override)
    evaluation = evaluate(charter, predictions, feedback)
    author = options.author or current_user()
    charter_sha = charter.content_sha256()
    preview = IterationResult(
        run_id="",
        name=name,
        experiment=experiment,
        evaluation=evaluation,
        governance=governance,
        charter_sha256=charter_sha,
        predictions_sha256=None if predictions is None else predictions.sha256,
        data_sha256=data_sha,
        author=author,
        gate_override=override if governance == "failed" else None,
        language=charter.language,
    )
    content = _run_content(preview, predictions, charter_file, feedback_sha, options)
    client, experiment_id = open_project_experiment(where, experiment, uri)
    run_id = log_run(client, experiment_id, content, tracking_uri=uri)
    counts = evaluation.counts()
    logger.info(
        "logged iteration %s (run %s): %d met, %d not met, %d not measured",
        name,
        run_id,
        counts["met"],
        counts["not met"],
        counts["not measured"],
    )
    return dataclasses.replace(
        preview,
        run_id=run_id,
        run_url=run_url(uri, experiment_id, run_id),
        experiment_id=experiment_id,
    )


# --- pieces ------------------------------------------------------------------------------------


def _project(project: ProjectLike | None) -> Project:
    return project if isinstance(project, Project) else Project.at(project)


def _checked(
    predictions: Predictions | Path | str | pd.DataFrame, charter_file: CharterFile
) -> Predictions:
    if isinstance(predictions, Predictions):
        return predictions
    charter = charter_file.charter
    groups, needs = group_columns(charter), column_needs(charter)
    if isinstance(predictions, (str, Path)):
        return read_predictions(predictions, group_columns=groups, needed_by=needs)
    return predictions_from_frame(predictions, group_columns=groups, needed_by=needs)


def _require_outcomes(project: Project, charter: Charter) -> None:
    """An iteration is judged against outcomes: a charter without any has nothing to judge."""
    if charter.outcomes:
        return
    msg = (
        f"{project.charter_path}: outcomes: the charter has no outcome, so there is nothing to "
        "judge an iteration against and nothing was logged; add one in the workshop's outcome "
        "form (notebooks/00_workshop.ipynb) or under outcomes: in codesign.yaml, e.g. "
        "{id: sensitivity, title: Catch the sick patients, category: safety, metric: "
        'sensitivity, target: ">= 0.95"}'
    )
    raise DataError(msg)


def unique_name(
    name: str | None, predictions: Predictions | None, logged: Sequence[IterationRecord]
) -> str:
    """:func:`iteration_name`, refused when the project already has an iteration by that name.

    Names are how people tell iterations apart (``compare`` columns, charts, feedback records,
    ``promote``): a second ``v1-qsofa`` is refused with a free name to use instead. A generated
    name that happens to be taken gets a numbered suffix.
    """
    wanted = iteration_name(name, predictions)
    used = {record.name for record in logged}
    if wanted not in used:
        return wanted
    free = next(f"{wanted}-{n}" for n in range(2, len(used) + 3) if f"{wanted}-{n}" not in used)
    if name is None:
        return free
    msg = (
        f"iteration name {wanted!r} is already used in this project; nothing was logged. "
        f"Give another name, e.g. --name {free}"
    )
    raise TrackingError(msg)


def iteration_name(name: str | None, predictions: Predictions | None) -> str:
    """The given name, checked; else the predictions' name and the UTC time."""
    if name is not None:
        cleaned = name.strip()
        if not cleaned or len(cleaned) > MAX_NAME_LENGTH or _CONTROL.search(cleaned):
            msg = (
                f"iteration name: expected 1 to {MAX_NAME_LENGTH} printable characters "
                f"(no tabs or line breaks), got {len(cleaned)} character(s)"
            )
            raise TrackingError(msg)
        return cleaned
    stem = "iteration"
    if predictions is not None:
        if predictions.source.endswith(MODEL_SOURCE_SUFFIX):
            stem = predictions.source.removesuffix(MODEL_SOURCE_SUFFIX)
        elif "." in predictions.source:
            stem = Path(predictions.source).stem
    stem = _CONTROL.sub("", stem).strip() or "iteration"
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return f"{stem[:120]}-{stamp}"


def _feedback(
    project: Project, options: IterationOptions, name: str
) -> tuple[list[FeedbackRecord], str | None]:
    """The feedback records about this iteration, and the feedback file's hash."""
    if not options.use_feedback:
        return [], None
    path = options.feedback
    if path is None:
        if not project.feedback_path.is_file():
            return [], None
        path = project.feedback_path
    path = Path(path)
    try:
        records = read_feedback(path)
        digest = sha256_file(path)
    except OSError as e:
        msg = f"{path}: cannot read the feedback file ({os_reason(e)})"
        raise DataError(msg) from e
    return feedback_for(records, name), digest


def _data_sha256(options: IterationOptions, predictions: Predictions | None) -> str | None:
    if options.data is None:
        return None if predictions is None else predictions.sha256
    try:
        return sha256_file(Path(options.data))
    except FileNotFoundError:
        msg = f"{options.data}: data file not found (--data names the data the gate checked)"
        raise DataError(msg) from None
    except OSError as e:
        msg = f"{options.data}: cannot read the data file ({os_reason(e)})"
        raise DataError(msg) from e


def _data_label(options: IterationOptions, predictions: Predictions | None) -> str:
    if options.data is not None:
        return str(options.data)
    return predictions.source if predictions is not None else "the feedback records"


def _run_content(
    result: IterationResult,
    predictions: Predictions | None,
    charter_file: CharterFile,
    feedback_sha: str | None,
    options: IterationOptions,
) -> RunContent:
    from codesign import __version__

    evaluation = result.evaluation
    tags: dict[str, str] = {
        "mlflow.user": result.author,
        "mlflow.source.name": options.source,
        "mlflow.source.type": "LOCAL",
        "mlflow.note.content": iteration_markdown(result),
        TAG_VERSION: __version__,
        TAG_AUTHOR: result.author,
        TAG_CHARTER: result.charter_sha256,
        TAG_GOVERNANCE: result.governance,
        TAG_KIND: KIND_ITERATION,
    }
    if result.gate_override:
        tags[TAG_GATE_OVERRIDE] = result.gate_override
    if result.data_sha256:
        tags[TAG_DATA] = result.data_sha256
    if predictions is not None:
        tags[TAG_PREDICTIONS] = predictions.sha256
        tags[TAG_PREDICTIONS_SOURCE] = predictions.source
    if feedback_sha:
        tags[TAG_FEEDBACK] = feedback_sha
    metrics: dict[str, float] = {}
    for outcome in evaluation.outcomes:
        tags[TAG_VERDICT + outcome.id] = outcome.verdict
        tags[TAG_TARGET + outcome.id] = outcome.target
        if outcome.value is not None:
            metrics[outcome.id] = outcome.value
    metrics.update({PANEL_PREFIX + name: value for name, value in evaluation.panel.items()})
    params = {
        PARAM_ROWS: str(evaluation.rows if evaluation.rows is not None else 0),
        PARAM_FEEDBACK_RECORDS: str(evaluation.feedback_records),
    }
    if predictions is not None:
        params[PARAM_COLUMNS] = ",".join(predictions.columns)
    record = {k: v for k, v in result.to_json().items() if k not in ("run_id", "run_url")}
    record["panel"] = dict(evaluation.panel)
    artifacts = {
        CHARTER_ARTIFACT: charter_file.render(),
        EVALUATION_ARTIFACT: json.dumps(record, indent=2) + "\n",
    }
    inputs = [] if predictions is None else [evaluation_dataset(predictions)]
    if options.data is not None and result.data_sha256:
        inputs.append(gated_dataset(Path(options.data).name, result.data_sha256))
    return RunContent(
        name=result.name,
        metrics=metrics,
        params=params,
        tags=tags,
        artifacts=artifacts,
        inputs=tuple(inputs),
    )


# --- how an iteration reads -------------------------------------------------------------------


def iteration_text(result: IterationResult) -> str:
    """The verdict table ``codesign track`` prints."""
    evaluation = result.evaluation
    counts = evaluation.counts()
    rows = "-" if evaluation.rows is None else format_integer(evaluation.rows)
    head = [
        _(
            'Logged iteration "{name}" (run {run}) to experiment {experiment}',
            name=result.name,
            run=result.run_id,
            experiment=result.experiment,
        ),
        _(
            "  governance of the data: {gate}   charter: {charter}   predictions: {rows} rows   "
            "feedback records: {feedback}",
            gate=result.gate_text,
            charter=result.charter_sha256[:12],
            rows=rows,
            feedback=evaluation.feedback_records,
        ),
    ]
    if result.run_url:
        head.append(_("  in MLflow: {url}", url=result.run_url))
    head.append("")
    header = [_("outcome"), _("metric"), _("value"), _("target"), _("verdict")]
    table = text_table(header, evaluation_rows(evaluation))
    summary = _(
        "{met} met, {not_met} not met, {not_measured} not measured",
        met=counts["met"],
        not_met=counts["not met"],
        not_measured=counts["not measured"],
    )
    return "\n".join([*head, table]) + "\n\n" + summary


def iteration_markdown(result: IterationResult) -> str:
    """The verdict table as Markdown, for the run's description in the MLflow UI."""
    lines = [
        f"**codesign iteration** — governance of the data: {result.gate_text}",
        "",
        "| outcome | metric | value | target | verdict |",
        "|---|---|---|---|---|",
    ]
    for o in result.outcomes:
        lines.append(
            f"| {o.id} | {o.metric} | {number(o.value)} | {o.target} | {verdict_text(o)} |"
        )
    return "\n".join(lines)


def iteration_html(result: IterationResult) -> str:
    heading = (
        f'Iteration "{result.name}" — run {result.run_id} in {result.experiment}; '
        f"governance of the data: {result.gate_text}"
    )
    table = evaluation_html(result.evaluation, heading=heading)
    if not result.run_url:
        return table
    link = esc(result.run_url)
    return f"{table}<p><a href='{link}' target='_blank'>Open the run in MLflow</a></p>"
