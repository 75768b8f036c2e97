"""Plain language for clinicians: numbers as people type them, times where they are.

A nurse types a target as ``95 %``, ``0,95`` (French decimal comma) or ``0.95``; all three mean
0.95 for a proportion. Anything else gets a sentence saying what to type, naming the outcome by
its title, and a number outside the metric's scale gets the likely intent ("did you mean 95%
(0.95)?"). Numbers are written, and times shown, the workshop language's way
(:mod:`codesign.i18n`), in the project's time zone (the charter's ``reports.timezone``), never in
UTC for people in Paris.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Final

from codesign.exceptions import CodesignError
from codesign.i18n import (
    N_,
    _,
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    zone_of,
)

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
    example = (
        _(
            "{decimal} or {percent}",
            decimal=format_decimal(0.95),
            percent=format_percent(0.95),
        )
        if is_proportion(spec)
        else format_decimal(0.95)
    )
    match = _NUMBER.match(text or "")
    if match is None:
        shown = (text or "").strip()
        if shown:
            msg = _(
                '{what}: type a number such as {example} (got "{got}").',
                what=what,
                example=example,
                got=shown,
            )
        else:
            msg = _("{what}: type a number such as {example}.", what=what, example=example)
        raise EntryError(msg)
    value = float(match.group(1).replace(",", "."))
    percent = bool(match.group(2))
    if percent:
        if not is_proportion(spec):
            title = spec.display_title if spec else _("this measure")
            msg = _(
                "{what}: {metric} is not a percentage; type a number such as {example}.",
                what=what,
                metric=title,
                example=format_decimal(0.95),
            )
            raise EntryError(msg)
        value /= 100
    if spec is not None and spec.value_range is not None:
        low, high = spec.value_range
        if not low <= value <= high:
            scale = _(
                "{what}: {metric} goes from {low} to {high}",
                what=what,
                metric=spec.display_title,
                low=format_decimal(low),
                high=format_decimal(high),
            )
            if is_proportion(spec) and 1 < value <= 100:
                msg = _(
                    "{scale}; did you mean {percent} ({decimal})?",
                    scale=scale,
                    percent=format_percent(value / 100, 3),
                    decimal=format_decimal(value / 100, 5),
                )
            else:
                msg = _(
                    "{scale}; type a number in that range, such as {example}.",
                    scale=scale,
                    example=example,
                )
            raise EntryError(msg)
    return value


def number_text(value: float, spec: MetricSpec | None = None) -> str:
    """A number as a clinician reads it: proportions as a percentage with the decimal too."""
    if is_proportion(spec):
        return _(
            "{percent} ({decimal})",
            percent=format_percent(value, 1),
            decimal=format_decimal(value, 3),
        )
    return format_decimal(value, 3)


def project_zone(charter: Charter | None) -> str:
    """The project's time zone (its report schedule's) by name, UTC when none is known."""
    import zoneinfo

    name = charter.reports.timezone if charter is not None else "UTC"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name


def when(moment: dt.datetime, charter: Charter | None) -> str:
    """A moment in the project's time zone: ``25/11/2026 15:04 (Europe/Paris)`` in French."""
    return format_datetime(moment, project_zone(charter))


def day(moment: dt.date | dt.datetime, charter: Charter | None) -> str:
    """A date as people write it (in the project's zone for a moment): ``25/11/2026``."""
    if isinstance(moment, dt.datetime):
        aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
        moment = aware.astimezone(zone_of(project_zone(charter))).date()
    return format_date(moment)


_PLACES: Final = (
    (re.compile(r"^outcomes\[(\d+)\]\.?(.*)$"), ("outcomes",), "title", N_("Outcome “{name}”")),
    (
        re.compile(r"^stakeholders\[(\d+)\]\.?(.*)$"),
        ("stakeholders",),
        "name",
        N_("Person “{name}”"),
    ),
    (re.compile(r"^risks\[(\d+)\]\.?(.*)$"), ("risks",), "id", N_("Hazard “{name}”")),
    (
        re.compile(r"^data_contract\.columns\[(\d+)\]\.?(.*)$"),
        ("data_contract", "columns"),
        "name",
        N_("Column “{name}”"),
    ),
    (
        re.compile(r"^decision\.criteria\[(\d+)\]\.?(.*)$"),
        ("decision", "criteria"),
        "name",
        N_("Criterion “{name}”"),
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
            named = _(noun, name=name)
            return _("{place}, {field}", place=named, field=rest) if rest else named
    return loc.replace("_", " ").replace(".", ", ")
