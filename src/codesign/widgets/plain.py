"""Plain language for clinicians: numbers as people type them, times where they are.

A nurse types a target as ``95 %``, ``0,95`` (French decimal comma) or ``0.95``; all three mean
0.95 for a proportion. Anything else gets a sentence saying what to type, naming the outcome by
its title, and a number outside the metric's scale gets the likely intent ("did you mean 95 %
(0.95)?"). Times are shown in the project's time zone (the charter's ``reports.timezone``),
never in UTC for people in Paris.
"""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo
from typing import TYPE_CHECKING, Final

from codesign.exceptions import CodesignError

if TYPE_CHECKING:
    from codesign.charter import Charter
    from codesign.charter.registry import MetricSpec

_NUMBER: Final = re.compile(r"^\s*([-+]?(?:\d+(?:[.,]\d*)?|[.,]\d+))\s*(%?)\s*$")


class EntryError(CodesignError):
    """An entry in a form that cannot be used as typed; the message says what to type."""


def is_proportion(spec: MetricSpec | None) -> bool:
    return spec is not None and spec.value_range == (0.0, 1.0)


def read_number(text: str, *, what: str, spec: MetricSpec | None = None) -> float:
    """The number a person typed for ``what`` (e.g. 'Target for: Catch every ...').

    Percentages are read for proportions (``95 %`` → 0.95), a decimal comma as a decimal point.
    Raises :class:`EntryError` with a sentence saying what to type.
    """
    example = "0.95 or 95 %" if is_proportion(spec) else "0.95"
    match = _NUMBER.match(text or "")
    if match is None:
        shown = (text or "").strip()
        got = f' (got "{shown}")' if shown else ""
        msg = f"{what}: type a number such as {example}{got}."
        raise EntryError(msg)
    value = float(match.group(1).replace(",", "."))
    percent = bool(match.group(2))
    if percent:
        if not is_proportion(spec):
            title = spec.title if spec else "this measure"
            msg = f"{what}: {title} is not a percentage; type a number such as 0.95."
            raise EntryError(msg)
        value /= 100
    if spec is not None and spec.value_range is not None:
        low, high = spec.value_range
        if not low <= value <= high:
            msg = f"{what}: {spec.title} goes from {low:g} to {high:g}"
            if is_proportion(spec) and 1 < value <= 100:
                msg += f"; did you mean {value:g} % ({value / 100:g})?"
            else:
                msg += f"; type a number in that range, such as {example}."
            raise EntryError(msg)
    return value


def number_text(value: float, spec: MetricSpec | None = None) -> str:
    """A number as a clinician reads it: proportions as a percentage with the decimal too."""
    if is_proportion(spec):
        return f"{value * 100:.3g} % ({value:.3g})"
    return f"{value:.3g}"


def project_zone(charter: Charter | None) -> zoneinfo.ZoneInfo:
    """The project's time zone (its report schedule's), UTC when none is known."""
    name = charter.reports.timezone if charter is not None else "UTC"
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def when(moment: dt.datetime, charter: Charter | None) -> str:
    """A moment in the project's time zone: ``25 Nov 2026, 15:04 (Europe/Paris)``."""
    zone = project_zone(charter)
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    local = aware.astimezone(zone)
    return f"{local.day} {local:%b %Y, %H:%M} ({zone.key})"


def day(moment: dt.date | dt.datetime, charter: Charter | None) -> str:
    """A date as people write it: ``25 Nov 2026`` (in the project's zone for a moment)."""
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        moment = aware.astimezone(project_zone(charter)).date()
    return f"{moment.day} {moment:%b %Y}"


_PLACES: Final = (
    (re.compile(r"^outcomes\[(\d+)\]\.?(.*)$"), ("outcomes",), "title", "Outcome"),
    (re.compile(r"^stakeholders\[(\d+)\]\.?(.*)$"), ("stakeholders",), "name", "Person"),
    (re.compile(r"^risks\[(\d+)\]\.?(.*)$"), ("risks",), "id", "Hazard"),
    (
        re.compile(r"^data_contract\.columns\[(\d+)\]\.?(.*)$"),
        ("data_contract", "columns"),
        "name",
        "Column",
    ),
    (
        re.compile(r"^decision\.criteria\[(\d+)\]\.?(.*)$"),
        ("decision", "criteria"),
        "name",
        "Criterion",
    ),
)


def place(charter: Charter | None, loc: str) -> str:
    """Where a problem is, as people name it: ``outcomes[0].target`` → ``Outcome “Catch every
    high-acuity patient”, target``; other paths in words (``use case, title``)."""
    for pattern, path, key, noun in _PLACES:
        match = pattern.match(loc)
        if match is None or charter is None:
            continue
        items: object = charter
        for part in path:
            items = getattr(items, part)
        index = int(match.group(1))
        if isinstance(items, list) and index < len(items):
            name = getattr(items[index], key, None)
            rest = match.group(2).replace("_", " ").replace(".", ", ")
            return f"{noun} “{name}”" + (f", {rest}" if rest else "")
    return loc.replace("_", " ").replace(".", ", ")
