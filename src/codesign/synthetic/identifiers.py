"""Leave identifiers in a synthetic extract on purpose, with known counts.

This is the "raw extract with identifiers left in" of the demo and the ground truth of the
governance tests: :func:`plant_identifiers` appends identifying phrases to chosen rows of a free
text column (one row per planted value and category), and can add the ``patient_name`` and
``nir`` columns a careless export keeps. Values come from Faker's ``fr_FR`` locale; NIR are valid,
with their check key, some born in Corsica (2A/2B). :attr:`Planted.canaries` lists every planted
value so that tests can search every file and every byte the gate writes for them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from codesign.project import PHI_CATEGORIES

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Callable, Mapping

    import numpy as np
    import pandas as pd
    from faker import Faker

logger = logging.getLogger(__name__)

REFERENCE_YEAR: Final = 2025
"""Year of the visits: birth years in the identity columns are this minus the age."""

_STREET_TYPES: Final = ("rue", "avenue", "boulevard", "chemin", "place", "impasse", "allée", "quai")
_DEPARTMENTS: Final = ("75", "69", "13", "33", "59", "2A", "2B", "44", "67", "31", "06", "92")
_MONTHS: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)  # fmt: skip


@dataclass(frozen=True)
class PlantOptions:
    """What to plant, where."""

    counts: Mapping[str, int] = field(default_factory=dict)
    """Rows of ``column`` that get an identifier, per category (``phi.phone``: 5)."""
    column: str = "nurse_note"
    """The free-text column the identifiers go into."""
    identity_columns: bool = False
    """Add ``patient_name`` and ``nir`` to every row, as a raw export does."""
    seed: int = 0


@dataclass(frozen=True)
class Planted:
    """An extract with identifiers in it, and what a perfect detector finds there."""

    frame: pd.DataFrame
    expected: dict[tuple[str, str], int]
    """Rows holding an identifier, per ``(column, category)``."""
    canaries: tuple[str, ...]
    """Every planted value as written in the data; none may leave the gate."""


def plant_identifiers(frame: pd.DataFrame, options: PlantOptions) -> Planted:
    """A copy of ``frame`` with identifiers planted as ``options`` says."""
    import numpy as np

    unknown = sorted(set(options.counts) - set(PHI_CATEGORIES))
    if unknown:
        msg = f"unknown categories {unknown}; expected some of {list(PHI_CATEGORIES)}"
        raise ValueError(msg)
    if options.column not in frame.columns:
        msg = f"column {options.column!r} is not in the frame"
        raise ValueError(msg)
    rng = np.random.default_rng(options.seed)
    maker = _Identifiers(options.seed)
    out = frame.copy()
    expected: dict[tuple[str, str], int] = {}
    canaries: list[str] = []
    text = out[options.column].astype(object).to_numpy(copy=True)
    for category, count in options.counts.items():
        if count > len(out):
            msg = f"cannot plant {count} {category} in {len(out)} rows"
            raise ValueError(msg)
        rows = rng.choice(len(out), size=count, replace=False)
        for row in rows:
            phrase, value = maker.phrase(category)
            current = text[row]
            text[row] = phrase if not isinstance(current, str) else f"{current} {phrase}"
            canaries.append(value)
        if count:
            expected[(options.column, category)] = count
    out[options.column] = _as_text(text)
    if options.identity_columns:
        names, nirs = maker.identity_columns(out)
        out["patient_name"] = _as_text(names)
        out["nir"] = _as_text(nirs)
        expected[("patient_name", "phi.name")] = len(out)
        expected[("nir", "phi.nir")] = len(out)
        canaries += [str(v) for v in names] + [str(v) for v in nirs]
    logger.debug("planted %d identifiers in %d rows", len(canaries), len(out))
    return Planted(frame=out, expected=expected, canaries=tuple(canaries))


def raw_extract(rows: int, *, seed: int = 0, per_category: int = 5) -> Planted:
    """The demo's raw extract: an ED extract with identifiers left in notes and columns."""
    from codesign.synthetic.extract import ed_extract

    frame = ed_extract(rows, seed=seed)
    counts = dict.fromkeys(PHI_CATEGORIES, min(per_category, rows))
    return plant_identifiers(
        frame, PlantOptions(counts=counts, identity_columns=True, seed=seed + 1)
    )


def _as_text(values: np.ndarray | list[str]) -> pd.Series:
    import pandas as pd

    return pd.Series(values, dtype="str")


class _Identifiers:
    """Faker-backed identifiers, each with the phrase a note would hold it in."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.fake: Faker = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.random = self.fake.random
        self._makers: dict[str, Callable[[], tuple[str, str]]] = {
            "phi.nir": self._nir_phrase,
            "phi.phone": self._phone_phrase,
            "phi.email": self._email_phrase,
            "phi.name": self._name_phrase,
            "phi.address": self._address_phrase,
            "phi.birthdate": self._birthdate_phrase,
            "phi.patient_id": self._patient_id_phrase,
        }

    def phrase(self, category: str) -> tuple[str, str]:
        """``(phrase to append, planted value)`` for one identifier of ``category``."""
        return self._makers[category]()

    # --- values ------------------------------------------------------------------------------

    def nir(self, *, female: bool | None = None, birth_year: int | None = None) -> str:
        """A valid NIR (key included), grouped as printed on a carte Vitale or compact."""
        from stdnum.fr import nir

        if female is None:
            female = self.random.random() < 0.5
        year = birth_year if birth_year is not None else self.random.randint(1925, 2007)
        department = self.random.choice(_DEPARTMENTS)
        body = (
            f"{2 if female else 1}{year % 100:02d}{self.random.randint(1, 12):02d}"
            f"{department}{self.random.randint(1, 999):03d}{self.random.randint(1, 999):03d}"
        )
        number = body + nir.calc_check_digits(body)
        return str(nir.format(number)) if self.random.random() < 0.6 else number

    def phone(self) -> str:
        """A French phone number in one of the ways people write them."""
        digits = f"{self.random.choice('1234567999')}" + "".join(
            str(self.random.randint(0, 9)) for _ in range(8)
        )
        pairs = [digits[i : i + 2] for i in range(1, 9, 2)]
        styles = (
            lambda: "0" + digits[0] + " " + " ".join(pairs),
            lambda: "0" + digits,
            lambda: "0" + digits[0] + "." + ".".join(pairs),
            lambda: "0" + digits[0] + "-" + "-".join(pairs),
            lambda: "+33 " + digits[0] + " " + " ".join(pairs),
            lambda: "+33 (0)" + digits[0] + " " + " ".join(pairs),
            lambda: "+33" + digits,
            lambda: "0033 " + digits[0] + " " + " ".join(pairs),
        )
        return str(self.random.choice(styles)())

    def person(self, *, female: bool | None = None) -> str:
        """A name as staff write it: with a title, first name first, or surname in capitals."""
        if female is None:
            female = self.random.random() < 0.5
        first = self.fake.first_name_female() if female else self.fake.first_name_male()
        last = self.fake.last_name()
        title = self.random.choice(("Mme", "Madame", "Mlle") if female else ("M.", "Monsieur"))
        styles = (
            f"{title} {last}",
            f"{title} {first} {last}",
            f"Dr {last}",
            f"{first} {last}",
            f"{last.upper()} {first}",
        )
        return str(self.random.choice(styles))

    def address(self) -> str:
        street = f"{self.random.choice(_STREET_TYPES)} {self.fake.last_name()}"
        number = self.fake.building_number()
        if self.random.random() < 0.15:
            number += " bis"
        return f"{number}, {street}, {self.fake.postcode()} {self.fake.city()}"

    def birthdate(self) -> tuple[str, dt.date]:
        born = self.fake.date_of_birth(minimum_age=18, maximum_age=100)
        styles = (
            born.strftime("%d/%m/%Y"),
            born.strftime("%d.%m.%Y"),
            born.isoformat(),
            f"{born.day} {_MONTHS[born.month - 1]} {born.year}",
        )
        return str(self.random.choice(styles)), born

    # --- phrases -----------------------------------------------------------------------------

    def _nir_phrase(self) -> tuple[str, str]:
        value = self.nir()
        return f"{self.random.choice(('NIR', 'n° SS', 'sécu'))} {value}.", value

    def _phone_phrase(self) -> tuple[str, str]:
        value = self.phone()
        lead = self.random.choice(("tél fille", "joignable au", "conjoint:", "portable"))
        return f"{lead} {value}.", value

    def _email_phrase(self) -> tuple[str, str]:
        value = self.fake.email()
        return f"{self.random.choice(('mail', 'courriel:', 'contact'))} {value}.", value

    def _name_phrase(self) -> tuple[str, str]:
        value = self.person()
        return f"{self.random.choice(('Pt', 'vu avec', 'accompagné par'))} {value}.", value

    def _address_phrase(self) -> tuple[str, str]:
        value = self.address()
        return f"{self.random.choice(('domicile:', 'adresse', 'vit au'))} {value}.", value

    def _birthdate_phrase(self) -> tuple[str, str]:
        value, _ = self.birthdate()
        lead = self.random.choice(("né le", "née le", "DDN", "date de naissance :", "né(e) le"))
        return f"{lead} {value}.", value

    def _patient_id_phrase(self) -> tuple[str, str]:
        value = str(self.random.randint(10**6, 10**10 - 1))
        lead = self.random.choice(("IPP", "IPP :", "NDA", "N° séjour", "n° dossier"))
        return f"{lead} {value}.", value

    # --- columns -----------------------------------------------------------------------------

    def identity_columns(self, frame: pd.DataFrame) -> tuple[list[str], list[str]]:
        """A name and a NIR per row, consistent with the row's sex and age when present."""
        sexes = frame["sex"].tolist() if "sex" in frame.columns else [None] * len(frame)
        ages = frame["age"].tolist() if "age" in frame.columns else [None] * len(frame)
        names: list[str] = []
        nirs: list[str] = []
        for sex, age in zip(sexes, ages, strict=True):
            female = None if sex not in ("F", "M") else sex == "F"
            year = REFERENCE_YEAR - int(age) if isinstance(age, int) else None
            names.append(self.person(female=female))
            nirs.append(self.nir(female=female, birth_year=year))
        return names, nirs
