"""The go/no-go: promote an iteration only when its standing is complete, and keep the decision.

A pilot that never reaches production is the failure codesign exists to prevent; a model that
reaches production on borrowed numbers is the other one. :func:`promote` records the decision to
deploy an iteration only when:

* every outcome of the current charter is measured *on that iteration* and met
  (:mod:`codesign.tracking.standing`: no value borrowed from another iteration);
* the data it was measured on passed the governance gate (an override lets numbers be logged,
  never deployed), and still does;
* the current charter is signed by the clinical lead and the data protection officer.

Otherwise nothing is written and :attr:`PromotionResult.missing` lists exactly what is missing
(``codesign promote`` exits 1). When a model is given (``--model-uri``), or the iteration's run
logged one under ``model/``, it is registered in the MLflow Model Registry under the project's
name and the alias ``approved`` is set on that version. The decision (who, when, which charter
version, which standing, which model version, which stage) is appended to
``decisions/promotions.json`` in the project, which the report and the portfolio show.

Stages: ``pilot`` and ``scaled`` put the tool in front of patients, so they are reached through
a go decision (the first moves the use case to ``pilot``, the next to ``scaled``) or with a
reason written in the charter (``use_case.stage_reason``). :func:`stage_standing` states the
stage a project is at and what backs it; a deployed stage with neither is flagged. The go
decision does not rewrite the charter: the stage is part of what was signed, and a promotion
must not make the sign-offs it relied on outdated.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from codesign.charter.model import Stage
from codesign.exceptions import TrackingError
from codesign.fileio import read_if_exists, update_file
from codesign.i18n import _
from codesign.project import Project, gate_result_for
from codesign.system import current_user, os_reason
from codesign.tracking.reading import read_store
from codesign.tracking.standing import read_project_feedback, standing_of
from codesign.tracking.store import connect, translate_errors

if TYPE_CHECKING:
    from codesign.charter.model import Charter
    from codesign.tracking.standing import Standing

logger = logging.getLogger(__name__)

PROMOTIONS_FILE: Final = Path("decisions") / "promotions.json"
"""Where a project keeps its go decisions, relative to its root."""
ALIAS: Final = "approved"
"""The Model Registry alias set on the promoted model version."""
REQUIRED_ROLES: Final = ("clinical lead", "data protection officer")
"""Whose sign-off on the current charter a promotion needs (matched in the role, any case)."""
MAX_PROMOTIONS_BYTES: Final = 4 << 20


@dataclass(frozen=True)
class Promotion:
    """One recorded go decision."""

    iteration: str
    run_id: str
    decided_by: str
    decided_at: dt.datetime
    charter_sha256: str
    standing: dict[str, Any]
    """The standing as :meth:`Standing.to_json` stated it when the decision was taken."""
    model_name: str | None = None
    model_version: str | None = None
    model_uri: str | None = None
    stage: Stage = Stage.PILOT
    """The stage the decision moved the use case to (``pilot``, then ``scaled``)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "iteration": self.iteration,
            "run_id": self.run_id,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at.astimezone(dt.UTC).isoformat(),
            "charter_sha256": self.charter_sha256,
            "model_name": self.model_name,
            "model_version": self.model_version,
            "model_alias": ALIAS if self.model_version else None,
            "model_uri": self.model_uri,
            "stage": self.stage.value,
            "standing": self.standing,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Promotion:
        decided_at = dt.datetime.fromisoformat(str(data["decided_at"]))
        return cls(
            iteration=str(data["iteration"]),
            run_id=str(data["run_id"]),
            decided_by=str(data["decided_by"]),
            decided_at=decided_at if decided_at.tzinfo else decided_at.replace(tzinfo=dt.UTC),
            charter_sha256=str(data["charter_sha256"]),
            standing=dict(data.get("standing") or {}),
            model_name=data.get("model_name"),
            model_version=data.get("model_version"),
            model_uri=data.get("model_uri"),
            stage=Stage(data.get("stage") or Stage.PILOT),
        )

    def summary(self) -> str:
        """One line for people: what, when, by whom, on which charter, which model version."""
        words = {
            "iteration": self.iteration,
            "stage": self.stage.label,
            "when": f"{self.decided_at.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC",
            "who": self.decided_by,
            "charter": self.charter_sha256[:12],
        }
        if self.model_version:
            return _(
                "{iteration} promoted to {stage} on {when} by {who} (charter {charter}); model "
                "{model} version {version} alias {alias}",
                model=self.model_name,
                version=self.model_version,
                alias=ALIAS,
                **words,
            )
        return _("{iteration} promoted to {stage} on {when} by {who} (charter {charter})", **words)


@dataclass(frozen=True)
class PromotionResult:
    """What ``promote`` decided: promoted, or not ready with the list of what is missing."""

    iteration: str
    standing: Standing
    missing: tuple[str, ...] = ()
    promotion: Promotion | None = None

    @property
    def promoted(self) -> bool:
        return self.promotion is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "iteration": self.iteration,
            "promoted": self.promoted,
            "missing": list(self.missing),
            "standing": self.standing.to_json(),
            "promotion": None if self.promotion is None else self.promotion.to_json(),
        }

    def __str__(self) -> str:
        if self.promotion is not None:
            return f"Promoted: {self.promotion.summary()}\n{self.standing.headline()}"
        lines = [f"Not ready to promote {self.iteration}: {self.standing.headline()}", ""]
        lines.extend(f"  - {item}" for item in self.missing)
        return "\n".join(lines)


def promote(
    iteration: str,
    *,
    project: Project | Path | str | None = None,
    model_uri: str | None = None,
    decided_by: str | None = None,
    tracking_uri: str | None = None,
    stage: Stage | None = None,
    now: dt.datetime | None = None,
) -> PromotionResult:
    """Promote ``iteration`` if its standing is complete; otherwise say what is missing.

    ``stage`` is where the decision moves the use case: by default the next deployed stage
    (``pilot``, or ``scaled`` once a pilot was decided or recorded). An unknown iteration or a
    stage other than ``pilot``/``scaled`` is a :class:`TrackingError` (exit 2); a standing that
    is not complete is a result with ``missing`` filled and nothing written (exit 1).
    """
    where = project if isinstance(project, Project) else Project.at(project)
    if not iteration.strip():
        msg = "promote: give the name of an iteration (codesign compare lists them)"
        raise TrackingError(msg)
    charter = where.load_charter().charter
    target = stage or next_stage(charter, read_promotions(where))
    if not target.deployed:
        msg = f"promote: a go decision moves a use case to pilot or scaled, not to {target.value}"
        raise TrackingError(msg)
    uri = where.tracking_uri(tracking_uri)
    records = read_store(uri, where.slug_of(charter))
    standing = standing_of(
        charter, records, iteration=iteration, feedback=read_project_feedback(where)
    )
    missing = readiness(where, charter, standing)
    if missing:
        return PromotionResult(iteration, standing, tuple(missing))
    judged = standing.iteration
    if judged is None:  # pragma: no cover - standing_of raised for an unknown name
        raise TrackingError(iteration)
    name, version = None, None
    source = model_uri or _logged_model(uri, judged.run_id)
    if source is not None:
        name, version = register(uri, where.slug_of(charter), source, judged.run_id)
    promotion = Promotion(
        iteration=judged.name,
        run_id=judged.run_id,
        decided_by=decided_by or current_user(),
        decided_at=(now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC),
        charter_sha256=charter.content_sha256(),
        standing=standing.to_json(),
        model_name=name,
        model_version=version,
        model_uri=source,
        stage=target,
    )
    record_promotion(where, promotion)
    logger.info("%s", promotion.summary())
    return PromotionResult(iteration, standing, (), promotion)


def next_stage(charter: Charter, promotions: list[Promotion]) -> Stage:
    """The stage a new go decision moves to: ``pilot`` first, ``scaled`` once at pilot."""
    at = stage_standing(charter, promotions).stage
    return Stage.SCALED if at in (Stage.PILOT, Stage.SCALED) else Stage.PILOT


@dataclass(frozen=True)
class StageStanding:
    """The stage a project is at, and what backs it when patients are exposed to the tool."""

    stage: Stage
    """The charter's stage, or the stage of a later go decision when that is further on."""
    backing: str | None
    """The go decision or the recorded reason behind a deployed stage; ``None`` if neither."""

    @property
    def backed(self) -> bool:
        """Whether the stage needs nothing more: not deployed, or deployed on a decision."""
        return not self.stage.deployed or self.backing is not None

    def problem(self) -> str | None:
        """What to do about a deployed stage that nothing backs; ``None`` when backed."""
        if self.backed:
            return None
        return _(
            "stage {stage} without a go decision: run `codesign promote ITERATION` on an "
            "iteration whose standing is complete, or write why in use_case.stage_reason",
            stage=self.stage.label,
        )


_ORDER: Final = (Stage.IDEA, Stage.CO_DESIGN, Stage.PILOT, Stage.SCALED)


def stage_standing(charter: Charter, promotions: list[Promotion]) -> StageStanding:
    """The project's stage: the furthest of the charter's and its go decisions'.

    A retired use case stays retired whatever was decided before. A deployed stage is backed by
    the latest go decision that reached it, else by the charter's ``stage_reason``.
    """
    stage = charter.use_case.stage
    if stage is Stage.RETIRED:
        return StageStanding(stage, None)
    for promotion in promotions:
        if _ORDER.index(promotion.stage) > _ORDER.index(stage):
            stage = promotion.stage
    decided = [p for p in promotions if _ORDER.index(p.stage) >= _ORDER.index(stage)]
    if stage.deployed and decided:
        return StageStanding(stage, _("go decision: {summary}", summary=decided[-1].summary()))
    reason = charter.use_case.stage_reason
    if stage.deployed and reason:
        return StageStanding(stage, _("reason recorded: {reason}", reason=reason))
    return StageStanding(stage, None)


def readiness(project: Project, charter: Charter, standing: Standing) -> list[str]:
    """Everything that stands between the iteration and a go decision; ``[]`` when ready."""
    missing: list[str] = []
    if not standing.outcomes:
        missing.append("the charter has no outcome: agree in the workshop what success means")
    for outcome in standing.outcomes:
        if outcome.met is None:
            missing.append(f"outcome {outcome.id} ({outcome.target}): {outcome.note}")
        elif not outcome.met:
            missing.append(
                f"outcome {outcome.id}: not met, {outcome.value_text} against {outcome.target}"
            )
    judged = standing.iteration
    if judged is not None:
        missing.extend(
            _gate_missing(project, judged.governance, judged.gate_text, judged.data_sha256)
        )
    valid = charter.valid_signoffs()
    for role in REQUIRED_ROLES:
        if not any(role in s.role.casefold() for s in valid):
            missing.append(
                f"sign-off: no {role} has signed the current charter "
                f"(version {charter.content_sha256()[:12]})"
            )
    return missing


def _gate_missing(
    project: Project, governance: str, gate_text: str, data_sha256: str | None
) -> list[str]:
    if governance != "passed":
        return [
            f"data: {gate_text}; an iteration is promoted only on data that passed the "
            "governance gate (run `codesign check` on it)"
        ]
    current = gate_result_for(project, data_sha256) if data_sha256 else None
    if current is not None and not current.passed:
        return ["data: the governance gate has failed on this data since the iteration was logged"]
    return []


def register(tracking_uri: str, name: str, source: str, run_id: str) -> tuple[str, str]:
    """Register ``source`` as a new version of model ``name`` with the alias ``approved``."""
    from mlflow.exceptions import MlflowException

    client = connect(tracking_uri)
    with translate_errors(tracking_uri, "register the model in"):
        try:
            client.create_registered_model(name)
        except MlflowException as e:
            if e.error_code != "RESOURCE_ALREADY_EXISTS":
                raise
        version = client.create_model_version(name, source=source, run_id=run_id)
        client.set_registered_model_alias(name, ALIAS, version.version)
    return name, str(version.version)


def _logged_model(tracking_uri: str, run_id: str) -> str | None:
    """``runs:/<id>/model`` when the iteration's run logged a model under ``model/``."""
    client = connect(tracking_uri)
    with translate_errors(tracking_uri, "read the run's artifacts from"):
        paths = {item.path for item in client.list_artifacts(run_id)}
    return f"runs:/{run_id}/model" if "model" in paths else None


def record_promotion(project: Project, promotion: Promotion) -> None:
    """Append the decision to ``decisions/promotions.json`` (atomic, under the folder lock)."""
    path = project.root / PROMOTIONS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)

    def append(current: bytes | None) -> bytes:
        kept = _parse(current, path) if current else []
        document = {"promotions": [*(p.to_json() for p in kept), promotion.to_json()]}
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    update_file(path, append)


def read_promotions(project: Project) -> list[Promotion]:
    """The project's go decisions, oldest first; an unreadable file reads as none (logged)."""
    path = project.root / PROMOTIONS_FILE
    try:
        data = read_if_exists(path)
    except OSError as e:
        logger.warning("%s: cannot read the go decisions (%s)", path, os_reason(e))
        return []
    if not data:
        return []
    try:
        return _parse(data, path)
    except TrackingError as e:
        logger.warning("%s", e)
        return []


def _parse(data: bytes, path: Path) -> list[Promotion]:
    if len(data) > MAX_PROMOTIONS_BYTES:
        msg = f"{path}: larger than {MAX_PROMOTIONS_BYTES} bytes; not a file codesign wrote"
        raise TrackingError(msg)
    try:
        document = json.loads(data)
        return [Promotion.from_json(item) for item in document["promotions"]]
    except (ValueError, KeyError, TypeError) as e:
        msg = f"{path}: not a promotions file codesign wrote ({type(e).__name__})"
        raise TrackingError(msg) from e
