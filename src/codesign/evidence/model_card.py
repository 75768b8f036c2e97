"""The CHAI Applied Model Card (schema v0.2) of the candidate iteration, as XML.

Every element the schema requires is written, in the schema's order. What the store holds fills
it; what it does not is said in words ("Not recorded in the project: intended_use.
human_oversight"), never left blank or invented. Key metrics come from
:func:`codesign.evidence.facts.key_metrics`: usefulness from accuracy, usability, time saved,
trust and adoption outcomes; fairness from equity outcomes and subgroup gaps; safety from safety
outcomes and the hazard log, each with its goal (the targets), results and an interpretation.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Final

from codesign.charter.model import Category
from codesign.presentation import number
from codesign.timeutil import iso_utc

if TYPE_CHECKING:
    from codesign.evidence.assess import Evidence
    from codesign.evidence.facts import Facts, KeyMetric

NAMESPACE: Final = "https://mc.chai.org/v0.2/schema.xsd"

USEFULNESS: Final = frozenset(
    {Category.ACCURACY, Category.USABILITY, Category.TIME_SAVED, Category.TRUST, Category.ADOPTION}
)
FAIRNESS: Final = frozenset({Category.EQUITY})
SAFETY: Final = frozenset({Category.SAFETY})

_UNITS: Final = {"minutes_saved": "min", "sus": "points (0-100)", "trust": "points (1-5)"}


def _not_recorded(field: str) -> str:
    return f"Not recorded in the project: {field}"


def model_card_xml(evidence: Evidence) -> bytes:
    """The model card as UTF-8 XML bytes (deterministic for a given store)."""
    f = evidence.facts
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(_q("AppliedModelCard"))
    _basic(root, f)
    _release(root, f)
    summary = _add(root, "ModelSummary")
    _text(summary, "Summary", _purpose(f))
    keywords = _add(summary, "Keywords")
    for word in _keywords(f):
        _text(keywords, "Keyword", word)
    _uses(root, f)
    _warnings(root, f)
    _trust(root, f)
    metrics = _add(root, "KeyMetrics")
    _key_metric(metrics, "UsefulnessUsabilityEfficacy", f, USEFULNESS)
    _key_metric(metrics, "FairnessEquity", f, FAIRNESS)
    _key_metric(metrics, "SafetyReliability", f, SAFETY)
    resources = _add(root, "Resources")
    _text(resources, "PeerReviewedPublications", "None recorded in the project")
    _text(
        resources,
        "PatientConsentOrDisclosure",
        f"Data used under the project's data contract, PHI policy "
        f"{f.charter.data_contract.phi_policy.value}; no patient-level value leaves the data.",
    )
    _text(root, "Bibliography", "")
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _add(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, _q(name))


def _text(parent: ET.Element, name: str, value: str) -> None:
    _add(parent, name).text = value


def _basic(root: ET.Element, f: Facts) -> None:
    use = f.charter.use_case
    basic = _add(root, "BasicInfo")
    _text(basic, "ModelName", use.title)
    _text(basic, "ModelDeveloper", use.partner or use.site or _not_recorded("use_case.partner"))
    partner = [s for s in f.charter.stakeholders if s.side.value == "partner"]
    contact = partner[0] if partner else f.charter.clinical_lead
    _text(
        basic,
        "DeveloperContact",
        f"{contact.name} ({contact.role})" if contact else _not_recorded("stakeholders"),
    )


def _release(root: ET.Element, f: Facts) -> None:
    release = _add(root, "ReleaseInfo")
    _text(release, "ReleaseStage", f.charter.use_case.stage.value)
    candidate = f.candidate
    _text(
        release,
        "ReleaseDate",
        (iso_utc(candidate.started_at) or "") if candidate else "No iteration logged yet",
    )
    _text(release, "ReleaseVersion", candidate.name if candidate else "No iteration logged yet")
    _text(
        release,
        "GlobalAvailability",
        f.charter.use_case.site or _not_recorded("use_case.site"),
    )


def _purpose(f: Facts) -> str:
    intended = f.charter.intended_use
    if intended is not None and intended.purpose:
        return intended.purpose
    return f.charter.use_case.problem or _not_recorded("intended_use.purpose")


def _keywords(f: Facts) -> list[str]:
    words = [
        f.charter.use_case.stage.value,
        *sorted({o.category.value for o in f.charter.outcomes}),
    ]
    return list(dict.fromkeys(words))


def _uses(root: ET.Element, f: Facts) -> None:
    intended = f.charter.intended_use
    use = f.charter.use_case
    uses = _add(root, "UsesAndDirections")
    setting = (intended.setting if intended else None) or use.setting
    _text(
        uses,
        "IntendedUseAndWorkflow",
        _purpose(f) + (f" Setting: {setting}." if setting else ""),
    )
    people = (intended.intended_users if intended else None) or use.intended_users
    _text(
        uses,
        "PrimaryIntendedUsers",
        ", ".join(people) if people else _not_recorded("intended_use.intended_users"),
    )
    _text(
        uses,
        "HowToUse",
        (intended.human_oversight if intended else None)
        or _not_recorded("intended_use.human_oversight"),
    )
    _text(uses, "TargetedPatientPopulation", use.population or _not_recorded("use_case.population"))
    scope = intended.out_of_scope if intended else []
    _text(
        uses,
        "CautionedOutOfScopeSettings",
        "; ".join(scope) if scope else _not_recorded("intended_use.out_of_scope"),
    )


def _warnings(root: ET.Element, f: Facts) -> None:
    intended = f.charter.intended_use
    warnings = _add(root, "Warnings")
    known = list(intended.known_limitations if intended else [])
    known += [f"Hazard {h.id}: {h.hazard}" for h in f.charter.risks]
    _text(
        warnings,
        "KnownRisksAndLimitations",
        "; ".join(known) if known else _not_recorded("intended_use.known_limitations, risks"),
    )
    equity = [m for m in f.metrics if m.category in FAIRNESS]
    _text(
        warnings,
        "KnownBiasesOrEthicalConsiderations",
        "; ".join(_sentence(m) for m in equity) if equity else "No equity outcome in the charter",
    )
    _text(warnings, "ClinicalRiskLevel", _risk_level(f))


def _risk_level(f: Facts) -> str:
    if not f.charter.risks:
        return _not_recorded("risks (hazard log)")
    worst = max(f.charter.risks, key=lambda h: h.residual_score or h.score)
    if worst.residual_score is not None:
        return (
            f"Highest residual risk: hazard {worst.id}, score {worst.residual_score} "
            f"({worst.residual_band}) after controls; {worst.score} ({worst.band}) before"
        )
    return (
        f"Highest risk: hazard {worst.id}, score {worst.score} ({worst.band}), "
        "residual not assessed"
    )


def _trust(root: ET.Element, f: Facts) -> None:
    trust = _add(root, "TrustIngredients")
    facts = _add(trust, "AISystemFacts")
    _text(
        facts,
        "OutcomesAndOutputs",
        "; ".join(f"{o.id}: {o.title} ({o.metric} {o.target})" for o in f.charter.outcomes)
        or _not_recorded("outcomes"),
    )
    _text(facts, "ModelType", _not_recorded("model type (attach the partner's description)"))
    gate = f.gate
    _text(
        facts,
        "InputDataSource",
        f"{gate.source} (governance gate {gate.status}, {iso_utc(gate.checked_at)})"
        if gate
        else _not_recorded("governance gate run"),
    )
    # Forbidden columns are declared so that the gate refuses them: they are not inputs.
    columns = [c for c in f.charter.data_contract.columns if c.phi_mode.value != "forbidden"]
    _text(
        facts,
        "OutputAndInputDataTypes",
        ", ".join(f"{c.name}: {c.type.value}" for c in columns)
        if columns
        else _not_recorded("data_contract.columns"),
    )
    _text(
        facts,
        "DevelopmentDataCharacterization",
        f"{gate.rows} rows, {len(gate.findings)} gate finding(s)"
        if gate
        else _not_recorded("governance gate run"),
    )
    gaps = [m for m in f.metrics if m.metric == "subgroup_gap"]
    _text(
        facts,
        "BiasMitigationApproaches",
        "Subgroup gaps measured on every iteration: " + "; ".join(_sentence(m) for m in gaps)
        if gaps
        else "No subgroup gap measured",
    )
    schedule = f.charter.reports.schedule
    _text(
        facts,
        "OngoingMaintenance",
        f"Reports on schedule {schedule}; every outcome measured on each iteration"
        if schedule
        else _not_recorded("reports.schedule"),
    )
    transparency = _add(trust, "TransparencyInformation")
    _text(transparency, "FundingSource", _not_recorded("funding source"))
    people = f.charter.stakeholders
    _text(
        transparency,
        "StakeholdersConsulted",
        "; ".join(f"{s.name} ({s.role})" for s in people)
        if people
        else _not_recorded("stakeholders"),
    )


def _key_metric(parent: ET.Element, name: str, f: Facts, categories: frozenset[Category]) -> None:
    rows = [m for m in f.metrics if m.category in categories]
    block = _add(parent, name)
    _text(
        block,
        "MetricGoal",
        "; ".join(f"{m.title}: {m.metric} {m.target}" for m in rows)
        or "No outcome of this kind in the charter",
    )
    results = _add(block, "Results")
    for m in rows:
        result = _add(results, "MetricResult")
        _text(result, "Label", f"{m.title} ({m.outcome})")
        _text(result, "ValueJson", _value_json(m))
    if categories is SAFETY and f.charter.risks:
        result = _add(results, "MetricResult")
        _text(result, "Label", "Hazards with an unacceptable residual risk")
        bad = sum(1 for h in f.charter.risks if (h.residual_band or h.band) == "unacceptable")
        _text(result, "ValueJson", json.dumps({"kind": "single", "value": bad, "unit": "hazards"}))
    if len(results) == 0:
        result = _add(results, "MetricResult")
        _text(result, "Label", "No outcome of this kind in the charter")
        _text(result, "ValueJson", json.dumps({"kind": "none"}))
    _text(
        block,
        "Interpretation",
        "; ".join(_sentence(m) for m in rows) or "Nothing measured for this kind of outcome",
    )
    _text(
        block,
        "TestType",
        f"Internal evaluation of iteration {f.candidate.name} against the charter's targets"
        if f.candidate
        else "No iteration logged yet",
    )
    _text(
        block,
        "TestingDataDescription",
        f"Latest data checked by the governance gate: {f.gate.source}, {f.gate.rows} rows, "
        f"{f.gate.status}"
        if f.gate
        else _not_recorded("governance gate run"),
    )
    _text(
        block,
        "ValidationProcessAndJustification",
        "Targets set by the clinical owners of each outcome in the charter; "
        f"{sum(1 for s in f.charter.signoffs if s.charter_sha256 == f.charter_sha256)} valid "
        "sign-off(s) of the current charter",
    )


def _value_json(m: KeyMetric) -> str:
    if m.value is None:
        return json.dumps({"kind": "none", "reason": "not measured"})
    payload: dict[str, object] = {"kind": "single", "value": round(m.value, 6)}
    unit = _UNITS.get(m.metric)
    if unit:
        payload["unit"] = unit
    payload["target"] = m.target
    payload["met"] = m.met
    return json.dumps(payload)


def _sentence(m: KeyMetric) -> str:
    if m.value is None:
        return f"{m.title}: not measured yet (target {m.target})"
    verdict = "meets" if m.met else "does not meet"
    return f"{m.title}: {number(m.value)} {verdict} the target {m.target}"
