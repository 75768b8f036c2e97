"""The outcome charter (``codesign.yaml``) as typed domain models.

The charter is the single source of truth of a use case: what it is for, who owns it, what
success means (outcomes with targets), what data it may use, the build/buy/partner decision, when
reports run, and who signed it off. The format is DESIGN.md section 4; these models are its
executable form. Forms edit these models and the CLI validates them; nobody keeps a second copy.

Single-object rules (a target's syntax, a range's order) live on the fields. Rules across fields
(unique outcome ids) raise :class:`CrossFieldError`, which carries the exact path of each
offending field so the loader can point at its line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import zoneinfo
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal, cast

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError, core_schema

from codesign.charter.consensus import ConsensusEvidence, ConsensusRule
from codesign.charter.registry import REGISTRY
from codesign.i18n import N_, _
from codesign.timeutil import as_utc

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
    from pydantic.json_schema import JsonSchemaValue

SCHEMA_VERSION: Final = 2
"""The format this codesign writes; format 1 (no intended use, risks or evidence) reads as is."""
SUPPORTED_VERSIONS: Final = (1, 2)

Loc = tuple[str | int, ...]

_CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")


def _printable(text: str) -> str:
    """Refuse invisible control characters: a person never means them, YAML cannot hold some."""
    found = _CONTROL.search(text)
    if found:
        raise PydanticCustomError(
            "control_character",
            _("contains an invisible control character (U+{code}); remove it"),
            {"code": f"{ord(found.group()):04X}"},
        )
    return text


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_printable),
]
"""A non-empty line or paragraph a person wrote."""

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_printable),
]
"""A person's, role's, column's or organisation's name."""

OutcomeId = Annotated[
    str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=64)
]
"""``[a-z][a-z0-9_]*``: usable as an MLflow metric key and a Python identifier."""


class CrossFieldError(ValueError):
    """A rule across fields failed; ``issues`` holds ``(loc, message)`` relative to the model."""

    def __init__(self, issues: Sequence[tuple[Loc, str]]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(f"{_loc_text(loc)}: {message}" for loc, message in issues))


def _loc_text(loc: Loc) -> str:
    """``('outcomes', 2, 'target')`` → ``outcomes[2].target``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


class _Model(BaseModel):
    """Base of every charter model: unknown keys are errors, assignments are validated."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        use_attribute_docstrings=True,
    )


# --- targets ----------------------------------------------------------------------------------

_TARGET_RE: Final = re.compile(
    r"^\s*(>=|<=|>|<)\s*([-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)\s*$"
)
_DECIMAL_COMMA_RE: Final = re.compile(r"^\s*(>=|<=|>|<)\s*[-+]?\d+,\d+\s*$")
"""A target written with a decimal comma (``>= 0,95``): read as ``>= 0.95``."""
TARGET_PATTERN: Final = r"^\s*(>=|<=|>|<)\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$"


Operator = Literal[">=", "<=", ">", "<"]


@dataclass(frozen=True)
class Target:
    """A success threshold such as ``>= 0.95``: an operator and a number.

    The number keeps the digits the person wrote (``0.950`` stays ``0.950``), so saving a charter
    never rewrites a target nobody touched.
    """

    op: Operator
    number: str

    @property
    def value(self) -> float:
        """The threshold as a float."""
        return float(self.number)

    def met(self, value: float) -> bool:
        """Whether a measured ``value`` meets this target."""
        threshold = self.value
        if self.op == ">=":
            return value >= threshold
        if self.op == "<=":
            return value <= threshold
        if self.op == ">":
            return value > threshold
        return value < threshold

    @property
    def higher_is_better(self) -> bool:
        """Whether the target asks for a value above the threshold."""
        return self.op in (">=", ">")

    def __str__(self) -> str:
        return f"{self.op} {self.number}"

    @classmethod
    def parse(cls, text: object) -> Target:
        """Parse ``">= 0.95"``; raises pydantic's custom error naming what was expected."""
        if isinstance(text, Target):
            return text
        if isinstance(text, str) and _DECIMAL_COMMA_RE.match(text):
            text = text.replace(",", ".")  # ">= 0,95" as a French hand writes it
        match = _TARGET_RE.match(text) if isinstance(text, str) else None
        if match is None:
            raise PydanticCustomError(
                "target_syntax",
                _('expected an operator and a number like ">= 0.95", got {got}'),
                {"got": json.dumps(text) if isinstance(text, str) else repr(text)},
            )
        op = cast("Operator", match.group(1))  # the pattern admits only these four
        return cls(op=op, number=match.group(2))

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls.parse, serialization=core_schema.to_string_ser_schema()
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {
            "type": "string",
            "pattern": TARGET_PATTERN,
            "description": "An operator (>=, <=, >, <) and a number.",
            "examples": [">= 0.95", "<= 0.05"],
        }


# --- use case and people ----------------------------------------------------------------------


class Stage(StrEnum):
    """Where an initiative stands; the portfolio groups by it (in this order)."""

    IDEA = "idea"
    CO_DESIGN = "co-design"
    PILOT = "pilot"
    SCALED = "scaled"
    RETIRED = "retired"

    @property
    def label(self) -> str:
        """The stage in the reader's language ("co-design", "co-conception")."""
        return _(_STAGE_LABELS[self])

    @property
    def deployed(self) -> bool:
        """A stage at which the tool is used on patients: reached only by a go decision."""
        return self in (Stage.PILOT, Stage.SCALED)


_STAGE_LABELS: Final = {
    Stage.IDEA: N_("idea"),
    Stage.CO_DESIGN: N_("co-design"),
    Stage.PILOT: N_("pilot"),
    Stage.SCALED: N_("scaled"),
    Stage.RETIRED: N_("retired"),
}


class Language(StrEnum):
    """A language codesign speaks (:data:`codesign.i18n.LANGUAGES`)."""

    EN = "en"
    FR = "fr"


CLINICAL_LEAD_ROLES: Final = ("clinical lead", "responsable clinique")
"""What a clinical lead's role says, in each language (a role naming one makes them the lead)."""


class UseCase(_Model):
    """What the use case is for, where, and for whom."""

    title: Text
    """Short name of the use case, e.g. "Nurse triage assistant"."""
    problem: Text | None = None
    """The problem in the words of the people who have it."""
    setting: Text | None = None
    """Care setting, e.g. "Adult emergency department"."""
    intended_users: list[Name] = Field(default_factory=list)
    """Who uses the tool day to day."""
    population: Text | None = None
    """Which patients the tool is used on."""
    stage: Stage = Stage.IDEA
    """idea | co-design | pilot | scaled | retired."""
    stage_reason: Text | None = None
    """Why the use case is at ``pilot`` or ``scaled`` without a go decision: those stages are
    reached through ``codesign promote`` (which records who, when and on which standing) or
    with a reason written here, e.g. "pilot approved by the medical board on 2026-10-02"."""
    site: Name | None = None
    """Hospital or site running the use case."""
    partner: Name | None = None
    """Partner organisation (vendor, start-up, academic team), if any."""
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")] | None = None
    """Short identifier; names the MLflow experiment and the report files."""


class Side(StrEnum):
    """Which side of the co-design a stakeholder is on."""

    INTERNAL = "internal"
    """The hospital: the why and the what (outcomes, governance, change)."""
    PARTNER = "partner"
    """The technology partner: the how (models, infrastructure)."""

    @property
    def label(self) -> str:
        """The side in the reader's language ("hospital", "hôpital")."""
        return _(_SIDE_LABELS[self])


_SIDE_LABELS: Final = {Side.INTERNAL: N_("hospital"), Side.PARTNER: N_("technology partner")}


class Stakeholder(_Model):
    """A person with a role in the use case."""

    name: Name
    role: Name
    """E.g. clinical lead, triage nurse, data protection officer, ML engineer."""
    side: Side = Side.INTERNAL
    organisation: Name | None = None


# --- outcomes -----------------------------------------------------------------------------------


class Category(StrEnum):
    """What kind of success an outcome measures."""

    ACCURACY = "accuracy"
    SAFETY = "safety"
    USABILITY = "usability"
    TIME_SAVED = "time_saved"
    TRUST = "trust"
    EQUITY = "equity"
    ADOPTION = "adoption"

    @property
    def label(self) -> str:
        """The category in the reader's language ("time saved", "temps gagné")."""
        return _(_CATEGORY_LABELS[self])


_CATEGORY_LABELS: Final = {
    Category.ACCURACY: N_("accuracy"),
    Category.SAFETY: N_("safety"),
    Category.USABILITY: N_("usability"),
    Category.TIME_SAVED: N_("time saved"),
    Category.TRUST: N_("trust"),
    Category.EQUITY: N_("equity"),
    Category.ADOPTION: N_("adoption"),
}


class Outcome(_Model):
    """One definition of success, owned by a person, measured on every iteration."""

    id: OutcomeId
    """Unique key, ``[a-z][a-z0-9_]*``; the MLflow metric name."""
    title: Text
    """What success means, in plain language."""
    category: Category
    metric: str
    """A name from the metric registry (``codesign charter schema`` lists them)."""
    target: Target
    """An operator and a number, e.g. ``>= 0.95``."""
    owner: Name | None = None
    """Who on the hospital side answers for this outcome."""
    params: dict[str, Any] = Field(default_factory=dict)
    """Metric options, e.g. ``{threshold: 0.3}`` or ``{metric: sensitivity, by: sex}``."""
    rationale: Text | None = None
    """Why this target: a guideline, a published study, the current practice."""
    consensus: ConsensusEvidence | None = None
    """How the room agreed on it (Delphi round, ratings, rule), when accepted in a workshop."""

    @field_validator("metric")
    @classmethod
    def _metric_is_registered(cls, name: str) -> str:
        if name in REGISTRY:
            return name
        hint = REGISTRY.suggest(name)
        raise PydanticCustomError(
            "unknown_metric",
            _("unknown metric {got} (did you mean {hint}?); expected one of: {choices}")
            if hint
            else _("unknown metric {got}; expected one of: {choices}"),
            {
                "got": json.dumps(name),
                "hint": json.dumps(hint),
                "choices": ", ".join(REGISTRY.names()),
            },
        )

    @model_validator(mode="after")
    def _params_fit_metric(self) -> Outcome:
        spec = REGISTRY.get(self.metric)
        if spec is None:  # already reported by the field validator
            return self
        try:
            parsed = spec.parse_params(self.params)
        except ValidationError as e:
            issues = [
                (("params", *err["loc"]), _plain_message(err))
                for err in e.errors(include_url=False)
            ]
            raise CrossFieldError(issues) from None
        problem = spec.scale_problem(self.target.op, self.target.number)
        if problem is not None:
            raise CrossFieldError([(("target",), problem)])
        normalised = parsed.model_dump(exclude_unset=True)
        if normalised != self.params:
            # Write through __dict__: assigning would re-run this validator.
            self.__dict__["params"] = normalised
        return self


def _plain_message(err: Any) -> str:
    """A pydantic error as a short sentence, for nested validations."""
    if err["type"] == "extra_forbidden":
        return "unknown option"
    if err["type"] == "missing":
        return "required option missing"
    message = str(err["msg"]).removeprefix("Value error, ")
    return re.sub(r"^Input should (?:be |have )?", "expected ", message)


# --- data contract ------------------------------------------------------------------------------


class PhiPolicy(StrEnum):
    """How identifiable the data may be."""

    DEIDENTIFIED = "deidentified"
    PSEUDONYMISED = "pseudonymised"
    IDENTIFIED = "identified"


class ColumnType(StrEnum):
    """The type of a column's values."""

    INTEGER = "integer"
    NUMBER = "number"
    CATEGORY = "category"
    TEXT = "text"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


class PhiMode(StrEnum):
    """What the gate does about identifying information in a column."""

    SCAN = "scan"
    """Look for names, phone numbers, NIR, e-mails, addresses, birth dates; fail on a finding."""
    FORBIDDEN = "forbidden"
    """The column must not be in the data at all."""
    ALLOWED = "allowed"
    """Not scanned (a pseudonymised key, a numeric measurement)."""


_NUMERIC_TYPES: Final = frozenset({ColumnType.INTEGER, ColumnType.NUMBER})
Scalar = str | int | float | bool
Number = int | float


class Column(_Model):
    """A column of the data contract."""

    name: Name
    type: ColumnType
    required: bool = False
    """Must be present and at least ``min_completeness`` filled."""
    range: tuple[Number, Number] | None = None
    """``[min, max]``, inclusive, for integer and number columns."""
    allowed: list[Scalar] | None = None
    """The only values allowed (categories)."""
    phi: PhiMode | None = None
    """scan | forbidden | allowed; text columns are scanned unless told otherwise."""
    min_completeness: float | None = Field(None, ge=0, le=1)
    """Overrides the contract's default share of non-null values."""
    unique: bool = False
    """No value appears twice (an encounter key)."""
    description: Text | None = None

    @property
    def phi_mode(self) -> PhiMode:
        """The effective PHI mode: text columns default to ``scan``, others to ``allowed``."""
        if self.phi is not None:
            return self.phi
        return PhiMode.SCAN if self.type is ColumnType.TEXT else PhiMode.ALLOWED

    @field_validator("range")
    @classmethod
    def _range_is_ordered(
        cls, bounds: tuple[Number, Number] | None
    ) -> tuple[Number, Number] | None:
        if bounds is not None and bounds[0] > bounds[1]:
            raise PydanticCustomError(
                "range_order",
                _("expected [min, max] with min <= max, got min {low} > max {high}"),
                {"low": _number_text(bounds[0]), "high": _number_text(bounds[1])},
            )
        return bounds

    @field_validator("allowed")
    @classmethod
    def _allowed_is_a_set(cls, values: list[Scalar] | None) -> list[Scalar] | None:
        if values is None:
            return None
        if not values:
            raise PydanticCustomError("allowed_empty", _("expected at least one allowed value"), {})
        seen: set[str] = set()
        for value in values:
            if str(value) in seen:
                raise PydanticCustomError(
                    "allowed_duplicate", _("value {value} is listed twice"), {"value": repr(value)}
                )
            seen.add(str(value))
        return values

    @model_validator(mode="after")
    def _constraints_fit_type(self) -> Column:
        issues: list[tuple[Loc, str]] = []
        if self.range is not None and self.type not in _NUMERIC_TYPES:
            issues.append(
                (
                    ("range",),
                    _("a range needs an integer or number column, not {type}", type=self.type),
                )
            )
        if self.allowed is not None:
            typed = _typed_allowed(self.allowed, self.type)
            if isinstance(typed, str):
                issues.append((("allowed",), typed))
            elif typed != self.allowed:
                self.__dict__["allowed"] = typed
        if issues:
            raise CrossFieldError(issues)
        return self


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _typed_allowed(values: list[Scalar], column_type: ColumnType) -> list[Scalar] | str:
    """Allowed values converted to the column's type, or a message saying which does not fit.

    The YAML loader hands every scalar over as written (``[1, 2]`` arrives as ``["1", "2"]``), so
    the column's declared type decides what the values are.
    """
    converted: list[Scalar] = []
    for value in values:
        try:
            if column_type is ColumnType.INTEGER:
                converted.append(int(str(value)))
            elif column_type is ColumnType.NUMBER:
                converted.append(float(str(value)))
            elif column_type is ColumnType.BOOLEAN:
                converted.append(_as_bool(value))
            else:
                converted.append(str(value))
        except ValueError:
            return _("value {value} is not a valid {type}", value=repr(value), type=column_type)
    return converted


def _as_bool(value: Scalar) -> bool:
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    msg = _("not a boolean: {value}", value=repr(value))
    raise ValueError(msg)


class DataContract(_Model):
    """What the data feeding the use case must look like; the governance gate checks it."""

    phi_policy: PhiPolicy = PhiPolicy.DEIDENTIFIED
    min_completeness: float = Field(0.95, ge=0, le=1)
    """Default share of non-null values for a required column."""
    columns: list[Column] = Field(default_factory=list)

    def column(self, name: str) -> Column | None:
        """The declared column called ``name``, if any."""
        return next((c for c in self.columns if c.name == name), None)

    @model_validator(mode="after")
    def _column_names_unique(self) -> DataContract:
        issues = _duplicates(((("columns", i, "name"), c.name) for i, c in enumerate(self.columns)))
        if issues:
            raise CrossFieldError(issues)
        return self


# --- decision, reports, sign-off ----------------------------------------------------------------


class DecisionOption(StrEnum):
    """Who builds the solution."""

    BUILD = "build"
    BUY = "buy"
    PARTNER = "partner"

    @property
    def label(self) -> str:
        """The option in the reader's language ("buy", "acheter")."""
        return _(_DECISION_LABELS[self])


_DECISION_LABELS: Final = {
    DecisionOption.BUILD: N_("build"),
    DecisionOption.BUY: N_("buy"),
    DecisionOption.PARTNER: N_("partner"),
}


Score = Annotated[float, Field(ge=1, le=5)]

DEFAULT_CRITERIA: Final = (
    N_("time to value"),
    N_("control"),
    N_("vendor dependency"),
    N_("governance burden"),
    N_("integration effort"),
    N_("cost"),
)
"""Criteria a new decision starts with; a workshop edits, removes and adds to them (written
into the charter in its language: ``_()`` where they are added)."""


class Criterion(_Model):
    """One weighted criterion of the build/buy/partner decision, scored per option.

    Scores go from 1 (worst) to 5 (best) for that criterion, so for "cost" a 5 means cheapest.
    """

    name: Name
    weight: float = Field(1.0, ge=0, le=100)
    build: Score | None = None
    buy: Score | None = None
    partner: Score | None = None

    def score(self, option: DecisionOption) -> float | None:
        """This criterion's score for ``option``."""
        value: float | None = getattr(self, option.value)
        return value


class Decision(_Model):
    """The build / buy / partner decision, with the weighted criteria that support it."""

    choice: DecisionOption | None = None
    rationale: Text | None = None
    criteria: list[Criterion] = Field(default_factory=list)

    def weighted_scores(self) -> dict[DecisionOption, float | None]:
        """Weighted mean score per option over the criteria scored for it (``None``: none)."""
        result: dict[DecisionOption, float | None] = {}
        for option in DecisionOption:
            scored = [(c.weight, s) for c in self.criteria if (s := c.score(option)) is not None]
            total_weight = sum(weight for weight, _ in scored)
            result[option] = (
                sum(weight * score for weight, score in scored) / total_weight
                if total_weight > 0
                else None
            )
        return result

    @model_validator(mode="after")
    def _criteria_unique(self) -> Decision:
        names = ((("criteria", i, "name"), c.name.casefold()) for i, c in enumerate(self.criteria))
        issues = _duplicates(names)
        if issues:
            raise CrossFieldError(issues)
        return self


class Reports(_Model):
    """When the project's report runs unattended."""

    schedule: str | None = None
    """A cron expression (minute hour day month weekday), e.g. "0 7 * * MON"."""
    timezone: str = "UTC"
    """IANA time zone the schedule is read in, e.g. Europe/Paris."""

    @field_validator("schedule")
    @classmethod
    def _schedule_is_cron(cls, expression: str | None) -> str | None:
        if expression is None:
            return None
        from croniter import croniter  # light, but only needed when a schedule is set

        if len(expression.split()) != 5 or not croniter.is_valid(expression):
            raise PydanticCustomError(
                "cron",
                _('expected a cron expression of five fields like "0 7 * * MON", got {got}'),
                {"got": json.dumps(expression)},
            )
        return expression

    @field_validator("timezone")
    @classmethod
    def _timezone_exists(cls, name: str) -> str:
        try:
            zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise PydanticCustomError(
                "timezone",
                _('expected an IANA time zone like "Europe/Paris", got {got}'),
                {"got": json.dumps(name)},
            ) from None
        return name


class SignOff(_Model):
    """A named person approving the charter as it stood at ``signed_at``.

    The sign-off holds the charter's content hash; once the charter changes it no longer
    matches and the sign-off is shown as outdated.
    """

    name: Name
    role: Name
    charter_sha256: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
    signed_at: dt.datetime
    comment: Text | None = None

    @field_validator("signed_at")
    @classmethod
    def _aware(cls, value: dt.datetime) -> dt.datetime:
        return as_utc(value)


# --- the charter --------------------------------------------------------------------------------

from codesign.charter.risk import (  # noqa: E402 (format 2's models build on the types above)
    FORMAT_2_FIELDS,
    EvidencePolicy,
    Hazard,
    IntendedUse,
    risk_issues,
    uses_format_2,
)


class Charter(_Model):
    """The whole charter of one use case (``codesign.yaml``)."""

    schema_version: int = Field(json_schema_extra={"enum": list(SUPPORTED_VERSIONS)})
    """Format version; this codesign reads 1 and 2, and writes 2 once a format 2 field is set."""
    language: Language | None = None
    """en | fr: the language the project's people read (reports, forms, messages); unset, the
    locale's. ``--lang`` and ``CODESIGN_LANG`` override it."""
    use_case: UseCase
    stakeholders: list[Stakeholder] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    data_contract: DataContract = Field(default_factory=DataContract)
    decision: Decision = Field(default_factory=Decision)
    reports: Reports = Field(default_factory=Reports)
    signoffs: list[SignOff] = Field(default_factory=list)
    consensus: ConsensusRule | None = None
    """The workshop's consensus thresholds; none given means the COMET/OMERACT 70 % / 15 %."""
    intended_use: IntendedUse | None = None
    """What the system is for and not for, who oversees it, its known limitations."""
    risks: list[Hazard] = Field(default_factory=list)
    """The hazard log (ISO 14971 / DCB0129)."""
    evidence: EvidencePolicy = Field(default_factory=EvidencePolicy)

    model_config = ConfigDict(
        title="codesign outcome charter",
        json_schema_extra={"$id": "https://codesign.health/schema/charter-2.json"},
    )

    @field_validator("schema_version")
    @classmethod
    def _supported_version(cls, version: int) -> int:
        if version not in SUPPORTED_VERSIONS:
            raise PydanticCustomError(
                "schema_version",
                _("this codesign reads charter formats {versions} and {latest}, got {got}"),
                {
                    "versions": ", ".join(map(str, SUPPORTED_VERSIONS[:-1])),
                    "latest": SUPPORTED_VERSIONS[-1],
                    "got": version,
                },
            )
        return version

    @model_validator(mode="after")
    def _outcome_ids_unique(self) -> Charter:
        issues = _duplicates(((("outcomes", i, "id"), o.id) for i, o in enumerate(self.outcomes)))
        issues.extend(risk_issues(self))
        if issues:
            raise CrossFieldError(issues)
        if self.schema_version < SCHEMA_VERSION and uses_format_2(self):
            # A format 1 file given a format 2 field becomes format 2 when saved; left alone, it
            # stays format 1 byte for byte. __dict__: assigning would re-run this validator.
            self.__dict__["schema_version"] = SCHEMA_VERSION
        return self

    def outcome(self, outcome_id: str) -> Outcome | None:
        """The outcome with this id, if any."""
        return next((o for o in self.outcomes if o.id == outcome_id), None)

    @property
    def clinical_lead(self) -> Stakeholder | None:
        """The internal stakeholder whose role names them clinical lead, if any."""
        return next(
            (
                s
                for s in self.stakeholders
                if s.side is Side.INTERNAL
                and any(role in s.role.casefold() for role in CLINICAL_LEAD_ROLES)
            ),
            None,
        )

    def canonical(self) -> dict[str, Any]:
        """The content that defines this charter, as JSON-ready data.

        Sign-offs are left out: they approve the content, so adding one must not change it.
        Format 2's fields are left out while empty, so that reading a format 1 charter keeps its
        hash (and the sign-offs and iterations that refer to it).
        """
        data = self.model_dump(mode="json", exclude={"signoffs"})
        # Fields added after version 1 count only once given, so adding them to the format
        # leaves every existing charter's hash, and so its sign-offs, as they were.
        if data.get("consensus") is None:
            data.pop("consensus", None)
        if data["use_case"].get("stage_reason") is None:
            data["use_case"].pop("stage_reason", None)
        if data.get("language") is None:
            data.pop("language", None)
        for outcome in data["outcomes"]:
            if outcome.get("consensus") is None:
                outcome.pop("consensus", None)
        if not uses_format_2(self):
            for name in FORMAT_2_FIELDS:
                data.pop(name, None)
        return data

    @property
    def consensus_rule(self) -> ConsensusRule:
        """The consensus thresholds in force (the charter's, else 70 % / 15 %)."""
        return self.consensus or ConsensusRule()

    def content_sha256(self) -> str:
        """SHA-256 of the canonical form: stable across comments, key order and formatting."""
        text = json.dumps(self.canonical(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def valid_signoffs(self) -> list[SignOff]:
        """Sign-offs given on exactly the current content."""
        current = self.content_sha256()
        return [s for s in self.signoffs if s.charter_sha256 == current]

    def outdated_signoffs(self) -> list[SignOff]:
        """Sign-offs given on an earlier version of the charter."""
        current = self.content_sha256()
        return [s for s in self.signoffs if s.charter_sha256 != current]

    def sign(
        self, name: str, role: str, *, comment: str | None = None, at: dt.datetime | None = None
    ) -> SignOff:
        """Record ``name`` approving the charter as it is now; returns the new sign-off."""
        signoff = SignOff(
            name=name,
            role=role,
            charter_sha256=self.content_sha256(),
            signed_at=at or dt.datetime.now(dt.UTC).replace(microsecond=0),
            comment=comment,
        )
        self.signoffs = [*self.signoffs, signoff]
        return signoff


def raw_duplicate_issues(data: Any) -> list[tuple[Loc, str]]:
    """Duplicate keys found in raw, not yet validated charter data.

    Pydantic runs the cross-field validators only once every field is valid; the loader calls
    this when validation failed, so a duplicate id is reported together with the other mistakes.
    """
    sections: tuple[tuple[tuple[str, ...], str], ...] = (
        (("outcomes",), "id"),
        (("risks",), "id"),
        (("data_contract", "columns"), "name"),
        (("decision", "criteria"), "name"),
    )
    issues: list[tuple[Loc, str]] = []
    for path, key in sections:
        items: Any = data
        for part in path:
            items = items.get(part) if isinstance(items, dict) else None
        if not isinstance(items, list):
            continue
        keyed: list[tuple[Loc, str]] = [
            ((*path, index, key), item[key])
            for index, item in enumerate(items)
            if isinstance(item, dict) and isinstance(item.get(key), str)
        ]
        issues.extend(_duplicates(keyed))
    return issues


def _duplicates(items: Iterable[tuple[Loc, str]]) -> list[tuple[Loc, str]]:
    """An issue for every repeat of a key, pointing back at its first occurrence."""
    first: dict[str, Loc] = {}
    issues: list[tuple[Loc, str]] = []
    for loc, key in items:
        if key in first:
            issues.append(
                (
                    loc,
                    _(
                        "duplicate {key}, already used at {first}",
                        key=repr(key),
                        first=_loc_text(first[key]),
                    ),
                )
            )
        else:
            first[key] = loc
    return issues
