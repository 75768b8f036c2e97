"""French clinical notes written the way hospital staff write them, annotated inline.

The development set of the PHI detector (issue 16). Each note is built from segments, some of
them identifiers wrapped in inline annotations ``⟦phi.phone|06 12 34 56 78⟧``; the plain text is
the note with the brackets removed and :attr:`Note.categories` is what a careful annotator marks
in it. The notes imitate letters, OCR'd forms, lab printouts, staff lists, patient header rows
and nursing notes: cue words vary in wording, case and spacing, identifiers are grouped in odd
ways, and identifier-free notes are full of the numbers that look like identifiers (doses, lot
numbers, blood pressures, scores, exam dates, eponyms, drug, ward and hospital names).

The generator is deliberately independent of :mod:`codesign.governance.phi`: it was written
first, from how notes are written, and it is not adjusted to what the detector finds.
:func:`development_set` splits it once and for all into a tuning part and a held-out part drawn
from different seeds; the held-out part is only ever scored, never read while tuning.

Names come from Faker's ``fr_FR`` lists plus names the detector's bundled list lacks; phone
numbers are drawn valid and formatted with ``phonenumbers``; NIR keys from python-stdnum.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from collections.abc import Callable

CATEGORIES: Final = (
    "phi.nir",
    "phi.phone",
    "phi.email",
    "phi.name",
    "phi.address",
    "phi.birthdate",
    "phi.patient_id",
)
"""The categories a note is annotated with (those of the gate's ``--json`` output)."""

_MARK: Final = re.compile(r"⟦([a-z_.]+)\|(.*?)⟧", re.DOTALL)

TUNING_SEED: Final = 16
HELD_OUT_SEED: Final = 1_000_016
TUNING_SIZE: Final = 320
HELD_OUT_SIZE: Final = 160


@dataclass(frozen=True)
class Note:
    """One annotated note."""

    annotated: str
    """The note with its identifiers wrapped as ``⟦category|value⟧``."""
    kind: str
    """What kind of document it imitates (letter, lab, staff, header, nursing, form...)."""

    @property
    def text(self) -> str:
        """The note as written, annotations removed."""
        return _MARK.sub(lambda m: m.group(2), self.annotated)

    @property
    def categories(self) -> frozenset[str]:
        """Every category the note holds at least one identifier of."""
        return frozenset(m.group(1) for m in _MARK.finditer(self.annotated))

    @property
    def values(self) -> tuple[str, ...]:
        """Every annotated identifier, as written (canaries for leak tests)."""
        return tuple(m.group(2) for m in _MARK.finditer(self.annotated))

    @property
    def decoy(self) -> bool:
        """An identifier-free note (every note of that kind is built around decoys)."""
        return not self.categories


@dataclass(frozen=True)
class DevelopmentSet:
    """The tuning notes and the held-out notes (fixed seeds, never mixed)."""

    tuning: tuple[Note, ...]
    held_out: tuple[Note, ...]


def development_set() -> DevelopmentSet:
    """The development set: 320 tuning notes and 160 held-out notes, always the same."""
    return DevelopmentSet(
        tuning=clinical_notes(TUNING_SIZE, seed=TUNING_SEED),
        held_out=clinical_notes(HELD_OUT_SIZE, seed=HELD_OUT_SEED),
    )


def clinical_notes(count: int, *, seed: int) -> tuple[Note, ...]:
    """``count`` notes; about a third of them hold no identifier at all."""
    writer = _Writer(seed)
    kinds: list[tuple[str, Callable[[], str], float]] = [
        ("letter", writer.letter, 0.14),
        ("form", writer.ocr_form, 0.10),
        ("lab", writer.lab_printout, 0.09),
        ("staff", writer.staff_list, 0.08),
        ("header", writer.header_row, 0.08),
        ("nursing", writer.nursing_with_identifiers, 0.13),
        ("decoy", writer.clean_note, 0.38),
    ]
    notes = []
    weights = [w for _, _, w in kinds]
    for _ in range(count):
        kind, make, _ = writer.rng.choices(kinds, weights=weights)[0]
        notes.append(Note(annotated=make(), kind=kind))
    return tuple(notes)


def mark(category: str, value: str) -> str:
    """``value`` annotated as an identifier of ``category``."""
    if category not in CATEGORIES:  # pragma: no cover - a coding error
        msg = f"unknown category {category!r}"
        raise ValueError(msg)
    return f"⟦{category}|{value}⟧"


# --- vocabulary ----------------------------------------------------------------------------------

_EXTRA_FIRST: Final = (
    "Karim", "Yasmine", "Mamadou", "Fatoumata", "Nour", "Rayan", "Inès", "Aïcha", "Kévin",
    "Maëlys", "Loïc", "Gwenaëlle", "Soizic", "Killian", "Anaïs", "Yanis", "Sofiane", "Océane",
    "Thuy", "Minh", "Bogdan", "Ioana", "Mehdi", "Samia", "Lilou", "Timéo", "Enzo", "Jordan",
)  # fmt: skip
_EXTRA_LAST: Final = (
    "BENSAID EL AMRANI", "Le Goff", "Ardouin", "Delcourt", "Lemarchand", "Morvan", "N'Diaye",
    "Ben Youssef", "Nguyen", "Da Silva", "de La Roche", "Kerhervé", "Oukaci", "Traoré",
    "Le Bihan", "Fontaine-Marchal", "Van der Meer", "Haddad", "El Idrissi", "Quéméner",
)  # fmt: skip
_STREET_TYPES: Final = (
    "rue", "Rue", "RUE", "avenue", "Avenue", "av.", "bd", "Bd", "boulevard", "Boulevard", "allée",
    "Allée", "chemin", "Chemin", "impasse", "Impasse", "place", "Place", "quai", "Quai", "route",
    "Route",
)  # fmt: skip
_CITIES: Final = (
    ("75013", "Paris"), ("69003", "Lyon"), ("13005", "Marseille"), ("33000", "Bordeaux"),
    ("29200", "Brest"), ("59000", "Lille"), ("44000", "Nantes"), ("97400", "Saint-Denis"),
    ("20000", "Ajaccio"), ("67000", "Strasbourg"), ("94010", "Créteil"), ("31059", "Toulouse"),
    ("35000", "Rennes"), ("76600", "Le Havre"), ("97200", "Fort-de-France"), ("92110", "Clichy"),
)  # fmt: skip
_MONTHS: Final = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
_UNITS: Final = (
    "", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
    "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
)  # fmt: skip
_TENS: Final = ("", "", "vingt", "trente", "quarante", "cinquante", "soixante")
_DRUGS: Final = (
    "Doliprane 1 g", "Kardégic 75 mg", "Lovenox 4000 UI", "Augmentin 1 g x 3", "Lasilix 40 mg",
    "Seresta 10 mg", "Tramadol 50 mg", "Eliquis 5 mg", "Levothyrox 75 µg", "Inexium 40 mg",
    "Vitamine D 100 000 UI", "Héparine 25 000 UI/24h", "Spasfon", "Tahor 40 mg", "Xarelto 20 mg",
    "Bactrim forte", "Solupred 20 mg", "Zopiclone 7,5 mg",
)  # fmt: skip
_EPONYMS: Final = (
    "signe de Babinski", "score de Glasgow à 15", "manœuvre de Valsalva", "signe de Lasègue",
    "maladie de Parkinson", "syndrome de Guillain-Barré", "signe de Murphy", "maladie de Crohn",
    "classification de Killip I", "score de Wells à 2", "signe de Homans négatif",
    "maladie d'Alzheimer", "syndrome de Cushing", "score CHA2DS2-VASc à 3", "test de Schirmer",
)  # fmt: skip
_PLACES: Final = (
    "Hôpital Henri Mondor", "CHU Pitié-Salpêtrière", "Hôpital européen Georges Pompidou",
    "service Charcot", "unité Pasteur", "pavillon Albert Calmette", "Institut Gustave Roussy",
    "Hôpital Louis Mourier", "CH Simone Veil", "clinique Saint-Jean", "centre Jean Bernard",
    "Hôpital Ambroise Paré", "HIA Bégin", "EHPAD Les Tilleuls", "salle Marie Curie",
)  # fmt: skip
_WORDS_TO_OCR: Final = str.maketrans({"l": "1", "O": "0", "é": "e", "è": "e", "°": "o"})


class _Writer:
    """Draws notes; one instance per seed so a split is reproducible."""

    def __init__(self, seed: int) -> None:
        from faker import Faker

        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)

    # --- small helpers ---------------------------------------------------------------------------

    def pick(self, *options: str) -> str:
        return self.rng.choice(options)

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def first_name(self, *, female: bool | None = None) -> str:
        if self.chance(0.25):
            return self.rng.choice(_EXTRA_FIRST)
        if female is None:
            female = self.chance(0.5)
        return str(self.fake.first_name_female() if female else self.fake.first_name_male())

    def last_name(self) -> str:
        return self.rng.choice(_EXTRA_LAST) if self.chance(0.2) else str(self.fake.last_name())

    def cue(self, *words: str) -> str:
        """A cue word as typed: case, colon and spacing vary."""
        word = self.rng.choice(words)
        word = self.pick(word, word, word.upper(), word.lower(), word.capitalize())
        return word + self.pick(" : ", ": ", " ", ":", " :", "  :  ", " - ")

    # --- identifiers -----------------------------------------------------------------------------

    def person(self) -> str:
        first, last = self.first_name(), self.last_name()
        styles = (
            f"{last.upper()} {first}",
            f"{first} {last}",
            f"{first} {last.upper()}",
            f"{first[0]}. {last}",
            f"{self.pick('Mme', 'M.', 'Madame', 'Monsieur', 'Mr', 'Mlle')} {last}",
            f"{self.pick('Dr', 'Dr.', 'Docteur', 'Pr', 'Pr.', 'DR')} {last.upper()}",
            f"{self.pick('Dr', 'Dr.', 'Docteur')} {first} {last}",
            f"{first.lower()} {last.lower()}",
            f"{self.pick('mme', 'mr', 'm.')} {last.lower()}",
            f"{last.upper()} {first.upper()}",
        )
        weights = (6, 6, 3, 3, 4, 3, 3, 1, 1, 1)
        return mark("phi.name", self.rng.choices(styles, weights=weights)[0])

    def phone_number(self) -> str:
        import phonenumbers

        while True:
            head = self.pick("1", "2", "3", "4", "5", "6", "7", "9", "6", "6")
            national = head + "".join(str(self.rng.randint(0, 9)) for _ in range(8))
            number = phonenumbers.parse("0" + national, "FR")
            if phonenumbers.is_valid_number(number):
                break
        fmt = phonenumbers.PhoneNumberFormat
        d = "0" + national
        pairs = [d[i : i + 2] for i in range(0, 10, 2)]
        styles = (
            phonenumbers.format_number(number, fmt.NATIONAL),
            phonenumbers.format_number(number, fmt.INTERNATIONAL),
            phonenumbers.format_number(number, fmt.E164),
            d,
            ".".join(pairs),
            "-".join(pairs),
            "/".join(pairs),
            f"{d[:2]} {d[2:6]} {d[6:]}",
            f"{d[:2]} {d[2:4]} {d[4:6]}{d[6:8]} {d[8:]}",
            "+33." + national[0] + "." + ".".join(national[i : i + 2] for i in range(1, 9, 2)),
            "+33 (0)" + national[0] + " " + " ".join(pairs[1:]),
            "0033 " + national[0] + " " + " ".join(pairs[1:]),
            "  ".join(pairs),
        )
        return self.rng.choice(styles)

    def phone(self) -> str:
        if self.chance(0.22):
            extension = str(self.rng.randint(1000, 99999))
            cue = self.cue("poste", "bip", "joignable au", "tél", "tél.", "poste IDE", "Bip")
            return cue + mark("phi.phone", extension)
        cue = self.cue(
            "tél", "Tél.", "tel", "portable", "port.", "fixe", "joignable au", "☎", "domicile",
            "tél fille", "n° du fils", "Téléphone", "mobile", "contacter le",
        )  # fmt: skip
        return (cue if self.chance(0.85) else "") + mark("phi.phone", self.phone_number())

    def email(self) -> str:
        first = _ascii(self.first_name()).lower().replace(" ", "")
        last = _ascii(self.last_name()).lower().replace(" ", "").replace("'", "")
        domain = self.pick(
            "chu-brest.fr", "aphp.fr", "gmail.com", "orange.fr", "wanadoo.fr", "chu-lyon.fr",
            "hopital-foch.com", "free.fr", "yahoo.fr", "ch-cornouaille.fr", "laposte.net",
        )  # fmt: skip
        local = self.pick(
            f"{first}.{last}", f"{first[0]}.{last}", f"{first}{last}{self.rng.randint(1, 99)}",
            f"{first}_{last}", f"{last}.{first}", f"{first}-{last}",
        )  # fmt: skip
        address = f"{local}@{domain}"
        if self.chance(0.15):
            address = address.upper() if self.chance(0.3) else address.capitalize()
        cue = self.cue("mail", "e-mail", "courriel", "Mél", "contact", "adresse mail")
        value = mark("phi.email", address)
        return cue + (f"<{value}>" if self.chance(0.1) else value)

    def nir_number(self, *, valid: bool = True) -> str:
        from stdnum.fr import nir

        sex = self.pick("1", "2", "1", "2", "7")
        year = f"{self.rng.randint(0, 99):02d}"
        month = f"{self.rng.randint(1, 12):02d}"
        if self.chance(0.15):  # overseas: 97x / 98x, then a two-digit commune
            place = self.pick("971", "972", "973", "974", "976", "987") + (
                f"{self.rng.randint(1, 99):02d}"
            )
        else:
            department = self.pick(*(f"{n:02d}" for n in range(1, 96) if n != 20), "2A", "2B")
            place = department + f"{self.rng.randint(1, 999):03d}"
        body = f"{sex}{year}{month}{place}{self.rng.randint(1, 999):03d}"
        key = nir.calc_check_digits(body)
        if not valid:
            key = f"{(int(key) + self.rng.randint(1, 96)) % 97 or 97:02d}"
        return body + key

    def nir_shape(self, digits: str) -> str:
        """A NIR written as people write it."""
        d = digits
        styles = (
            d,
            f"{d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:10]} {d[10:13]} {d[13:]}",
            " ".join(d),
            f"{d[0]} {d[1:3]} {d[3:5]} {d[5:7]} {d[7:10]} {d[10:13]}  {d[13:]}",
            f"{d[:2]} {d[2:5]} {d[5:8]} {d[8:11]} {d[11:13]} {d[13:]}",
            f"{d[0]}-{d[1:3]}-{d[3:5]}-{d[5:7]}-{d[7:10]}-{d[10:13]}-{d[13:]}",
            f"{d[0]}.{d[1:3]}.{d[3:5]}.{d[5:7]}.{d[7:10]}.{d[10:13]}.{d[13:]}",
            f"{d[:13]} {d[13:]}",
            f"{d[0]} {d[1:3]} {d[3:5]} {d[5:8]} {d[8:10]} {d[10:13]} / {d[13:]}",
        )
        return self.rng.choice(styles)

    def nir(self) -> str:
        cue = self.cue(
            "N° SS", "NSS", "numéro de sécurité sociale", "assuré", "assurée", "assuré(e)",
            "N° d'identification", "Code de l'Assurance Maladie", "INSEE", "immatriculation",
            "NIR", "n° sécu", "N°SS", "Sécu", "N° INSEE", "matricule assuré",
        )  # fmt: skip
        roll = self.rng.random()
        if roll < 0.1:  # 13 digits without the key
            value = self.nir_shape(self.nir_number())[:-3].rstrip(" -./")
        elif roll < 0.2:  # a typo in the key
            value = self.nir_shape(self.nir_number(valid=False))
        else:
            value = self.nir_shape(self.nir_number())
        if roll >= 0.2 and self.chance(0.12):  # a valid NIR, no cue at all
            return mark("phi.nir", value)
        if self.chance(0.1):
            return cue.strip().rstrip(":").strip() + ":" + mark("phi.nir", value.replace(" ", ""))
        return cue + mark("phi.nir", value)

    def address(self) -> str:
        postcode, city = self.rng.choice(_CITIES)
        number = str(self.rng.randint(1, 240)) + self.pick("", "", "", " bis", " ter", "B")
        street = f"{self.pick(*_STREET_TYPES)} {self.pick('de la ', 'des ', 'du ', '')}"
        street += self.pick(str(self.fake.last_name()), "Liberté", "Tilleuls", "Moulin", "Port")
        city_line = f"{postcode} {self.pick(city, city.upper())}"
        if self.chance(0.12):
            city_line += self.pick(" CEDEX", " Cedex", " cedex 13")
        separator = self.pick(", ", " ", "\n", " - ", ",\n")
        value = f"{number}{self.pick(', ', ' ', ' ')}{street}{separator}{city_line}"
        if self.chance(0.1):
            value = f"Résidence les Pins, bât. B\n{value}"
        cue = self.cue("adresse", "domicile", "demeurant", "vit au", "Adresse", "domicilié")
        return (cue if self.chance(0.7) else "") + mark("phi.address", value)

    def date_of_birth(self) -> tuple[str, int]:
        year = self.rng.randint(1925, 2006)
        month, day = self.rng.randint(1, 12), self.rng.randint(1, 28)
        sep = self.pick("/", "/", ".", "-", "|", " / ")
        yy = str(year) if self.chance(0.75) else f"{year % 100:02d}"
        styles = (
            f"{day:02d}{sep}{month:02d}{sep}{yy}",
            f"{day}{sep}{month}{sep}{yy}",
            f"{'1er' if day == 1 else day} {_MONTHS[month - 1]} {year}",
            f"{_number_words(day)} {_MONTHS[month - 1]} {_number_words(year)}",
            f"{day:02d} {_MONTHS[month - 1].upper()} {year}",
        )
        weights = (8, 3, 3, 1, 1)
        return self.rng.choices(styles, weights=weights)[0], 2025 - year

    def birthdate(self) -> str:
        value, age = self.date_of_birth()
        if self.chance(0.18):  # a date next to an age, in a header
            return mark("phi.birthdate", value) + self.pick(f" ({age} ans)", f" - {age} ans")
        cue = self.cue(
            "né le", "née le", "Né(e) le", "né(e) le", "DDN", "D.D.N.", "date de naissance",
            "Date de naiss.", "née", "naissance", "DN",
        )  # fmt: skip
        return cue + mark("phi.birthdate", value)

    def patient_id(self) -> str:
        cue = self.cue(
            "IPP", "NDA", "N° séjour", "n° de séjour", "NIP", "N° dossier", "N° patient",
            "Venue", "N° venue", "ID patient", "num. séjour", "Dossier n°",
        )  # fmt: skip
        digits = self.rng.randint(6, 10)
        value = str(self.rng.randint(10 ** (digits - 1), 10**digits - 1))
        if self.chance(0.1):
            value = value[:2] + self.pick(" ", "-") + value[2:]
        return cue + mark("phi.patient_id", value)

    # --- clinical filler and decoys -------------------------------------------------------------

    def clinical_sentence(self) -> str:
        r = self.rng
        options = (
            f"TA {r.randint(90, 180)}/{r.randint(50, 100)}, FC {r.randint(50, 130)}, "
            f"SpO2 {r.randint(88, 100)} % AA, T° {r.randint(36, 39)},{r.randint(0, 9)}.",
            f"Hb {r.randint(8, 16)},{r.randint(0, 9)} g/dL, plaquettes {r.randint(90, 450)} G/L, "
            f"CRP {r.randint(1, 250)} mg/L, créat {r.randint(50, 400)} µmol/L.",
            f"Traitement : {r.choice(_DRUGS)}, {r.choice(_DRUGS)}.",
            f"Examen neuro : {r.choice(_EPONYMS)}, {r.choice(_EPONYMS)}.",
            f"Transféré en {r.choice(_PLACES)}, chambre {r.randint(100, 450)}, "
            f"lit {r.randint(1, 2)}.",
            f"Admis le {self.day_month()}/2024 à {self.clock('h')}.",
            f"Scanner du {r.randint(1, 28):02d}.{r.randint(1, 12):02d}.2025 : pas de lésion.",
            f"Ordonnance du {r.randint(1, 28)} {r.choice(_MONTHS)} 2025 renouvelée.",
            f"Lot {r.randint(10**9, 10**10 - 1):010d}, péremption {r.randint(1, 12):02d}/2027.",
            f"lot n° 06{r.randint(10**7, 10**8 - 1)} (vaccin antigrippal).",
            f"Extencilline {r.choice(('1 000 000', '2 400 000', '600 000'))} UI IM.",
            f"EVA {r.randint(0, 10)}/10, NIHSS {r.randint(0, 20)}, Glasgow {r.randint(3, 15)}.",
            f"Glycémie {r.randint(4, 20)},{r.randint(0, 9)} mmol/L à {r.randint(6, 22)}h.",
            f"ECG : RSR {r.randint(55, 110)}/min, PR {r.randint(120, 200)} ms, "
            f"QRS {r.randint(80, 140)} ms.",
            f"Poids {r.randint(45, 120)} kg, taille 1,{r.randint(50, 95)} m, "
            f"IMC {r.randint(17, 40)}.",
            f"RPPS {r.randint(10**10, 10**11 - 1)}, FINESS {r.randint(10**8, 10**9 - 1)}.",
            f"Prescription n° {self.nir_shape_decoy()} transmise à la pharmacie.",
            f"Ionogramme : Na {r.randint(128, 150)}, K {r.randint(3, 6)},{r.randint(0, 9)}, "
            f"Cl {r.randint(95, 110)} mmol/L.",
            f"INR {r.randint(1, 4)},{r.randint(0, 9)} le {self.day_month()}.",
            f"Pansement refait, cicatrice propre. Box {r.randint(1, 30)}, "
            f"brancard {r.randint(1, 15)}.",
            "Patient calme, coopérant, orienté dans le temps et l'espace.",
            "Vu avec le médecin de garde et l'interne. Famille prévenue par téléphone.",
            "Pas d'allergie connue. Vaccins à jour. Tabac sevré depuis 2015.",
            f"Appel au {r.choice(('Centre 15', 'SAMU', '15', 'standard'))} à {self.clock('h')}.",
            f"Leucocytes {r.randint(2, 25)} 000/mm3, PNN {r.randint(1, 20)} 500/mm3.",
        )  # fmt: skip
        return self.rng.choice(options)

    def nir_shape_decoy(self) -> str:
        """A 15-digit number with a wrong key and no cue: a lot or prescription number."""
        return self.nir_number(valid=False)

    def day_month(self) -> str:
        return f"{self.rng.randint(1, 28):02d}/{self.rng.randint(1, 12):02d}"

    def clock(self, separator: str) -> str:
        return f"{self.rng.randint(0, 23)}{separator}{self.rng.randint(10, 59)}"

    def filler(self, low: int = 1, high: int = 3) -> str:
        return " ".join(self.clinical_sentence() for _ in range(self.rng.randint(low, high)))

    def noisy(self, text: str) -> str:
        """OCR noise on the words outside annotations: misread letters, broken lines, spaces."""
        parts = re.split(r"(⟦.*?⟧)", text, flags=re.DOTALL)
        out = []
        for part in parts:
            if part.startswith("⟦"):
                out.append(part)
                continue
            words = part.split(" ")
            for i, word in enumerate(words):
                if self.chance(0.06):
                    words[i] = word.translate(_WORDS_TO_OCR)
                elif self.chance(0.04):
                    words[i] = word + "\n"
                elif self.chance(0.04):
                    words[i] = word + " "
            out.append(" ".join(words))
        return "".join(out)

    # --- document kinds --------------------------------------------------------------------------

    def letter(self) -> str:
        doctor = self.person()
        patient = self.person()
        lines = [
            self.pick("Cher confrère,", "Chère consœur,", "Mon cher ami,", "Madame, Monsieur,"),
            f"J'ai vu en consultation {self.pick('votre patient', 'votre patiente', '')} "
            f"{patient}, {self.birthdate()}, pour {self.pick('douleur thoracique', 'chute')}.",
            self.filler(),
        ]
        if self.chance(0.5):
            lines.append(f"{self.address()}.")
        if self.chance(0.4):
            lines.append(f"Joignable : {self.phone()}.")
        if self.chance(0.3):
            lines.append(self.patient_id())
        lines.append(self.filler(0, 2))
        lines.append(
            self.pick(
                "Bien confraternellement,", "Compte rendu signé par", "Signé électroniquement par"
            )
            + f" {doctor}"
        )
        if self.chance(0.4):
            lines.append(self.email())
        return "\n".join(line for line in lines if line)

    def ocr_form(self) -> str:
        fields = [
            f"{self.cue('Nom', 'NOM', 'Patient', 'Nom de naissance')}{self.person()}",
            self.birthdate(),
            self.nir(),
        ]
        extras = (self.address, self.phone, self.patient_id, self.email)
        for make in self.rng.sample(extras, k=self.rng.randint(1, 3)):
            fields.append(make())
        fields.append(self.filler(1, 2))
        self.rng.shuffle(fields)
        text = "\n".join(fields)
        return self.noisy(text)

    def lab_printout(self) -> str:
        r = self.rng
        rows = [
            f"{self.pick('Patient', 'PATIENT', 'Nom')} : {self.person()}    {self.patient_id()}",
            "Analyse        | Résultat | Unité  | Valeurs de réf.",
            f"Hémoglobine    | {r.randint(8, 17)},{r.randint(0, 9)}     | g/dL   | 12,0 - 16,0",
            f"Leucocytes     | {r.randint(2, 20)},{r.randint(0, 9)}      | G/L    | 4,0 - 10,0",
            f"Plaquettes     | {r.randint(80, 500)}      | G/L    | 150 - 400",
            f"Sodium         | {r.randint(125, 150)}      | mmol/L | 135 - 145",
            f"Prélevé le {self.day_month()}/2025 à {self.clock(':')}",
        ]  # fmt: skip
        if self.chance(0.5):
            rows.insert(1, self.birthdate())
        if self.chance(0.3):
            rows.append(f"Biologiste : {self.person()} - {self.phone()}")
        return "\n".join(rows)

    def staff_list(self) -> str:
        names = [self.person() for _ in range(self.rng.randint(2, 5))]
        head = self.pick(
            "Internes : ", "Équipe réunie en staff : ", "Présents : ", "Staff du jour - ",
            "IDE : ", "Médecins présents :\n", "Équipe de nuit : ",
        )  # fmt: skip
        joiner = self.pick(", ", " ; ", "\n- ", " / ")
        text = head + joiner.join(names)
        if self.chance(0.4):
            text += f". {self.phone()}."
        return text + "\n" + self.filler(0, 2)

    def header_row(self) -> str:
        last, first = self.last_name().upper(), self.first_name()
        sex = self.pick("F", "M")
        value, age = self.date_of_birth()
        ipp = str(self.rng.randint(10**6, 10**10 - 1))
        nda = str(self.rng.randint(10**7, 10**10 - 1))
        if self.chance(0.5):
            row = (
                f"{mark('phi.name', f'{last} {first}')} | {sex} | {mark('phi.birthdate', value)}"
                f" ({age} ans) | {mark('phi.patient_id', ipp)} | {mark('phi.patient_id', nda)}"
            )
            header = self.pick("NOM Prénom | Sexe | DDN | IPP | NDA\n", "")
            return header + row + "\n" + self.filler(1, 2)
        glued = (
            f"{mark('phi.patient_id', ipp)}:{mark('phi.name', f'{last} {first}')}"
            f" {sex} {mark('phi.birthdate', value)}"
        )
        return glued + "\n" + self.filler(1, 2)

    def nursing_with_identifiers(self) -> str:
        makers = (self.phone, self.person, self.birthdate, self.address, self.nir, self.email)
        parts = [self.filler(1, 2)]
        for make in self.rng.sample(makers, k=self.rng.randint(1, 2)):
            lead = self.pick(
                "Famille : ", "Personne de confiance : ", "", "Appel de ", "Vu avec ",
                "Pour info ", "",
            )  # fmt: skip
            parts.append(lead + make() + ".")
        parts.append(self.filler(0, 2))
        text = " ".join(parts)
        if self.chance(0.3):
            text = text.lower()
        return text

    def clean_note(self) -> str:
        text = self.filler(2, 5)
        if self.chance(0.25):
            text = self.noisy(text)
        if self.chance(0.15):
            text = text.lower()
        if self.chance(0.2):
            text = text.replace(". ", ".\n")
        return text


def _ascii(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _number_words(n: int) -> str:
    """A number in French words, as a date is written out in full on a civil form."""
    if n >= 1000:
        thousands, rest = divmod(n, 1000)
        head = "mille" if thousands == 1 else f"{_number_words(thousands)} mille"
        hundreds, rest = divmod(rest, 100)
        if hundreds:
            head += " cent" if hundreds == 1 else f" {_UNITS[hundreds]} cent"
        return f"{head} {_number_words(rest)}".strip() if rest else head
    if n < 20:
        return _UNITS[n]
    tens, unit = divmod(n, 10)
    if tens == 7:
        return f"soixante{' et ' if unit == 1 else '-'}{_UNITS[10 + unit]}"
    if tens == 9:
        return f"quatre-vingt-{_UNITS[10 + unit]}"
    if tens == 8:
        return "quatre-vingt" + (f"-{_UNITS[unit]}" if unit else "s")
    word = _TENS[tens]
    if unit == 1:
        return f"{word} et un"
    return f"{word}-{_UNITS[unit]}" if unit else word
