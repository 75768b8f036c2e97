"""Clinician feedback records: usability (SUS), trust, time-motion and output reviews.

The workshop and pilot forms write these records; the tracking layer measures the ``sus``,
``trust``, ``minutes_saved`` and ``reviewed_accuracy`` outcomes from them. They are kept as one
CSV file per project (``feedback/records.csv`` by default) that a quality lead can open in a
spreadsheet: one row per response, blank cells where a column does not apply to that kind.

Respondents are identified by role only, and there is deliberately no free-text column: a
comment is where a patient's name would slip in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import re
import statistics
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Final

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from codesign.csvfile import SAMPLE_BYTES, sniff_bytes
from codesign.exceptions import DataError
from codesign.fileio import read_if_exists, update_file
from codesign.i18n import N_, _

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from pathlib import Path

logger = logging.getLogger(__name__)

SUS_ITEMS: Final = (
    N_("I think that I would like to use this system frequently."),
    N_("I found the system unnecessarily complex."),
    N_("I thought the system was easy to use."),
    N_(
        "I think that I would need the support of a technical person to be able to use this system."
    ),
    N_("I found the various functions in this system were well integrated."),
    N_("I thought there was too much inconsistency in this system."),
    N_("I would imagine that most people would learn to use this system very quickly."),
    N_("I found the system very cumbersome to use."),
    N_("I felt very confident using the system."),
    N_("I needed to learn a lot of things before I could get going with this system."),
)
"""The ten statements of the System Usability Scale (Brooke, 1996), answered 1 to 5.

Marked for the catalogue and shown with ``_()``: in French they are the validated French
version's own wording, the F-SUS (Gronier & Baudet, 2021, doi:10.1080/10447318.2021.1898828),
not a translation of ours, so French scores compare with the published ones."""

TRUST_ITEMS: Final = {
    "trust_reliable": N_("The tool's suggestions are reliable."),
    "trust_dependable": N_("I can depend on the tool in my daily work."),
    "trust_understand": N_("I understand how the tool reaches its suggestions."),
    "trust_safe": N_("Following the tool does not put my patients at risk."),
    "trust_confident": N_("I am confident acting on the tool's suggestions."),
}
"""Trust statements, adapted from Jian et al. (2000), answered 1 (disagree) to 5 (agree); the
keys are the stored columns, the statements are shown with ``_()``."""

Likert = Annotated[int, Field(ge=1, le=5)]


class FeedbackKind(StrEnum):
    """What a feedback record measures."""

    SUS = "sus"
    TRUST = "trust"
    TIME_MOTION = "time_motion"
    REVIEW = "review"

    @property
    def label(self) -> str:
        """The kind in the reader's language ("time-motion", "chronométrage")."""
        return _(_KIND_LABELS[self])


_KIND_LABELS: Final = {
    FeedbackKind.SUS: N_("SUS"),
    FeedbackKind.TRUST: N_("trust"),
    FeedbackKind.TIME_MOTION: N_("time-motion"),
    FeedbackKind.REVIEW: N_("review"),
}

SESSIONS: Final = (
    "co-design workshop",
    *(f"pilot week {week}" for week in range(1, 13)),
    "after go-live",
)
"""Sessions a response may come from (a closed list: no free text where a name could land);
the record keeps these words, people read them in their language (:func:`session_label`)."""


def session_label(session: str) -> str:
    """A session's name in the reader's language (``pilot week 3``: ``phase pilote, semaine 3``)."""
    if session.startswith("pilot week "):
        return _("pilot week {week}", week=session.removeprefix("pilot week "))
    return {
        "co-design workshop": _("co-design workshop"),
        "after go-live": _("after go-live"),
    }.get(session, session)


class FeedbackRecord(BaseModel):
    """One response: a SUS questionnaire, a trust questionnaire, a timed task or a review."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    kind: FeedbackKind
    respondent_role: Annotated[str, Field(min_length=1, max_length=100)]
    """E.g. triage nurse, emergency physician; never a person's name."""
    recorded_at: dt.datetime = Field(
        default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    )
    iteration: Annotated[str, Field(max_length=200)] | None = None
    """Name of the model iteration the feedback is about, if known."""
    session: Annotated[str, Field(max_length=200)] | None = None
    """Workshop or pilot session, e.g. "pilot week 2"."""
    sus: tuple[Likert, ...] | None = None
    """The ten SUS answers in order."""
    trust: dict[str, Likert] | None = None
    """Answers to trust statements, keyed ``trust_*``."""
    task: Annotated[str, Field(max_length=200)] | None = None
    """The timed task, e.g. "triage of one patient"."""
    minutes_with: Annotated[float, Field(ge=0, le=24 * 60)] | None = None
    minutes_without: Annotated[float, Field(ge=0, le=24 * 60)] | None = None
    accurate: bool | None = None
    """Review: the output was accurate, with no clinically significant error."""

    @model_validator(mode="after")
    def _complete_for_kind(self) -> FeedbackRecord:
        problem = None
        if self.kind is FeedbackKind.SUS and (self.sus is None or len(self.sus) != len(SUS_ITEMS)):
            problem = "a SUS response needs all 10 answers (1 to 5)"
        elif self.kind is FeedbackKind.TRUST:
            if not self.trust:
                problem = "a trust response needs at least one trust_* answer"
            elif bad := [k for k in self.trust if not k.startswith("trust_")]:
                problem = f"trust answers must be keyed trust_*, got {', '.join(bad)}"
        elif self.kind is FeedbackKind.TIME_MOTION and (
            self.task is None or self.minutes_with is None or self.minutes_without is None
        ):
            problem = "a time-motion entry needs task, minutes_with and minutes_without"
        elif self.kind is FeedbackKind.REVIEW and self.accurate is None:
            problem = "a review needs accurate (true or false)"
        if problem:
            raise ValueError(problem)
        return self

    def sus_score(self) -> float | None:
        """Standard SUS score, 0 to 100 (see :func:`sus_score`)."""
        return None if self.sus is None else sus_score(self.sus)

    def trust_score(self) -> float | None:
        """Mean of this response's trust answers, 1 to 5."""
        return statistics.fmean(self.trust.values()) if self.trust else None

    def minutes_saved(self) -> float | None:
        """Minutes saved on this task: time without the tool minus time with it."""
        if self.minutes_with is None or self.minutes_without is None:
            return None
        return self.minutes_without - self.minutes_with


def sus_score(answers: Sequence[int]) -> float:
    """Standard SUS score of ten answers, 0 to 100: odd items count answer-1, even items
    5-answer, and the sum is multiplied by 2.5 (Brooke, 1996)."""
    if len(answers) != len(SUS_ITEMS):
        msg = f"a SUS score needs all {len(SUS_ITEMS)} answers, got {len(answers)}"
        raise ValueError(msg)
    points = sum(
        (answer - 1) if index % 2 == 0 else (5 - answer) for index, answer in enumerate(answers)
    )
    return points * 2.5


# --- CSV ---------------------------------------------------------------------------------------

_SUS_COLUMNS: Final = tuple(f"sus_{i}" for i in range(1, len(SUS_ITEMS) + 1))
_HEAD: Final = ("kind", "recorded_at", "respondent_role", "iteration", "session")
_TAIL: Final = ("task", "minutes_with", "minutes_without", "accurate")


def _columns(trust_keys: Iterable[str]) -> list[str]:
    extra = sorted(set(trust_keys) - TRUST_ITEMS.keys())
    return [*_HEAD, *_SUS_COLUMNS, *TRUST_ITEMS, *extra, *_TAIL]


def _row(record: FeedbackRecord) -> dict[str, str]:
    row = {
        "kind": record.kind.value,
        "recorded_at": record.recorded_at.isoformat(),
        "respondent_role": record.respondent_role,
        "iteration": record.iteration or "",
        "session": record.session or "",
        "task": record.task or "",
        "minutes_with": _num(record.minutes_with),
        "minutes_without": _num(record.minutes_without),
        "accurate": "" if record.accurate is None else str(record.accurate).lower(),
    }
    if record.sus is not None:
        row.update({col: str(answer) for col, answer in zip(_SUS_COLUMNS, record.sus, strict=True)})
    if record.trust:
        row.update({key: str(answer) for key, answer in record.trust.items()})
    return row


def _num(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


_DECIMAL_COMMA: Final = re.compile(r"^[-+]?\d+,\d+$")
_NUMBER_COLUMNS: Final = frozenset({"minutes_with", "minutes_without"})


def _decimal(text: str) -> str:
    """A number as a French spreadsheet saves it (``3,5``) read as ``3.5``; other text as is."""
    return text.replace(",", ".") if _DECIMAL_COMMA.match(text) else text


def _record(row: dict[str, str]) -> FeedbackRecord:
    values: dict[str, object] = {
        k: _decimal(v) if k in _NUMBER_COLUMNS else v
        for k in (*_HEAD, *_TAIL)
        if (v := (row.get(k) or "").strip())
    }
    sus = [row.get(col, "").strip() for col in _SUS_COLUMNS]
    if any(sus):
        values["sus"] = sus
    trust = {
        k: v.strip() for k, v in row.items() if k and k.startswith("trust_") and v and v.strip()
    }
    if trust:
        values["trust"] = trust
    return FeedbackRecord.model_validate(values)


def dumps_feedback(records: Sequence[FeedbackRecord]) -> str:
    """Records as CSV text with the standard columns (and any extra trust_* ones)."""
    trust_keys = {key for record in records for key in (record.trust or {})}
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=_columns(trust_keys), lineterminator="\n")
    writer.writeheader()
    writer.writerows(_row(record) for record in records)
    return buffer.getvalue()


def loads_feedback(
    text: str, source: str = "<feedback>", *, delimiter: str = ","
) -> list[FeedbackRecord]:
    """Parse feedback CSV; a bad row raises :class:`DataError` naming the row and the field."""
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in ("kind", "respondent_role") if c not in (reader.fieldnames or [])]
    if missing:
        msg = f"{source}: not a feedback file, missing column(s) {', '.join(missing)}"
        raise DataError(msg)
    records: list[FeedbackRecord] = []
    for line_number, row in enumerate(reader, start=2):
        try:
            records.append(_record(row))
        except ValidationError as e:
            first = e.errors(include_url=False)[0]
            field = ".".join(str(p) for p in first["loc"]) or "row"
            message = str(first["msg"]).removeprefix("Value error, ")
            msg = f"{source}:{line_number}: {field}: {message}"
            raise DataError(msg) from None
    return records


def read_feedback(path: Path) -> list[FeedbackRecord]:
    """Read a feedback CSV file; a missing file is a :class:`DataError`."""
    data = read_if_exists(path)
    if data is None:
        msg = f"{path}: feedback file not found"
        raise DataError(msg)
    return _loads_bytes(data, str(path))


def _loads_bytes(data: bytes, source: str) -> list[FeedbackRecord]:
    """Feedback records from a file's bytes, in whatever dialect a spreadsheet saved them."""
    dialect = sniff_bytes(data[:SAMPLE_BYTES], source, "feedback file")
    try:
        text = dialect.decode(data)
    except UnicodeDecodeError as e:
        msg = f"{source}: not {dialect.encoding} text (byte {e.start}); save it as UTF-8 CSV"
        raise DataError(msg) from e
    return loads_feedback(text, source, delimiter=dialect.delimiter)


def append_feedback(path: Path, records: Sequence[FeedbackRecord]) -> int:
    """Append records to a feedback file atomically; returns how many the file now holds.

    The read and the write happen under one lock, so two kernels appending at once both land.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    total = 0

    def add(current: bytes | None) -> bytes:
        nonlocal total
        existing = (
            [] if current is None or not current.strip() else _loads_bytes(current, str(path))
        )
        combined = [*existing, *records]
        total = len(combined)
        return dumps_feedback(combined).encode("utf-8")

    update_file(path, add)
    return total


def feedback_for(records: Iterable[FeedbackRecord], iteration: str) -> list[FeedbackRecord]:
    """The feedback records about ``iteration``.

    Records naming this iteration, if there are any; otherwise the records that name no
    iteration (feedback about the tool in general). Records naming another iteration never
    count, so feedback on an old model cannot flatter a new one.
    """
    records = list(records)
    named = [r for r in records if r.iteration == iteration]
    if named:
        return named
    return [r for r in records if not r.iteration]


# --- how an evaluation reads ------------------------------------------------------------------
