"""What identifying information looks like in French clinical documents, and how to find it fast.

Each category of DESIGN.md section 5 is found by a few :class:`PhiRule`: a cue and a shape, as a
person reading the note would (``IPP : 8001234567``, ``né le 14/06/51``, ``MORVAN Hélène``).
A rule is one regular expression in the syntax Python's :mod:`re` and PostgreSQL's advanced
regular expressions read the same way: explicit character classes (no ``\\d``, ``\\b``,
``\\w``), ``(?:...)`` groups, fixed-width look-behinds and look-aheads, and letters written in
both cases where an accent is involved (PostgreSQL's case folding of ``é`` depends on the
database's locale). So a CSV checked with pandas and the same rows checked inside PostgreSQL give
the same counts (see :mod:`codesign.governance.sql`).

On pandas, rows are first filtered with RE2 (Arrow's engine, fast but without look-arounds):
:attr:`PhiRule.re2` is the rule with its look-arounds removed, which matches a superset of what
the rule matches. Only the few rows RE2 retains are confirmed with Python's :mod:`re`.

The rules are chosen against the numbers and words clinical notes are full of: blood pressures
(``TA 135/85``), doses (``1 000 000 UI``), lab values, exam and admission dates, lot, RPPS and
FINESS numbers, 15-digit prescription numbers, eponyms (Glasgow, Babinski), drug names, wards and
hospitals named after people (``Hôpital Henri Mondor``). In particular:

- NIR: a 15-digit NIR with a valid key (python-stdnum's rule, Corsica 2A/2B included) is found
  anywhere, however it is spaced (digit by digit, odd groups, dashes, dots); after a cue (``N°
  SS``, ``assuré(e)``, ``INSEE``, ``immatriculation`` ...) 13 digits or a wrong key count too.
  A 15-digit number with a wrong key and no cue is not a NIR.
- Phones: ten digits from ``0[1-9]`` (or ``+33``/``0033``) with one kind of separator used
  throughout (``01 4571 2290``, ``06/12/34/56/78``); 4–5 digit extensions after ``poste``,
  ``bip``, ``tél``, ``joignable au``. Not after ``lot``.
- Names: a civil title and a surname; a first name from the bundled list next to a capitalised
  surname, or after a surname in capitals (``BENSAID EL AMRANI Karim``, ``4410217:LEMARCHAND
  Odile``); an initial and a surname after a list separator or ``par``; a first name and a
  surname typed in lower case. Not after a hospital, ward or street word.
- Birth dates: a date after ``né(e) le``, ``DDN``, ``date de naissance``; a date followed by an
  age (``14/06/1951 (73 ans)``); a date after a sex code in a patient header row; numeric with
  ``/ . - |``, two- or four-digit years, months or whole dates in words.
- Addresses: a number and a street type (rue, av., bd, allée, chemin, impasse, place, quai,
  route ...).
- Hospital patient numbers (``phi.patient_id``): six or more digits after ``IPP``, ``NDA``,
  ``NIP``, ``N° séjour``, ``N° dossier``, ``venue``; a 6–12 digit cell of a ``|`` table; digits
  glued to a surname in capitals.

Counting is per value: a note with two phone numbers counts once for ``phi.phone``.
"""

from __future__ import annotations

import functools
import importlib.resources
import logging
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.project import PHI_CATEGORIES

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

logger = logging.getLogger(__name__)

# --- building blocks (portable syntax) ----------------------------------------------------------

_UPPER: Final = "A-ZÀ-ÖØ-Þ"
_GAP: Final = "[ \\t\\r\\n]"
"""Blanks between a cue and its value: forms and OCR put line breaks there."""
_LOWER: Final = "a-zß-öø-ÿœ"
_LETTER: Final = f"{_UPPER}{_LOWER}Œ"
_WORD_START: Final = f"(?:^|[^{_LETTER}])"
"""A word boundary, consumed rather than looked behind: RE2 then decides it exactly."""
_WORD_END: Final = f"(?:$|[^{_LETTER}])"
_NOT_BEFORE_LETTER: Final = f"(?![{_LETTER}])"
_NOT_AFTER_DIGIT: Final = "(?<![0-9])"
_SURNAME: Final = f"[{_UPPER}][{_LETTER}'-]*[{_LETTER}]"
_PARTICLE: Final = "(?:(?:de|du|des|de la|le|la|da|van|von|van der|d'|De|Le|La|Da|Van)[ ]?)?"
_TITLES: Final = (
    "M\\.|MM\\.|Mr\\.?|Mme\\.?|Mmes|Mlle\\.?|Melle|Monsieur|Madame|Mademoiselle|"
    "MONSIEUR|MADAME|MME|MLLE|MR|Dr\\.?|DR\\.?|Docteur|DOCTEUR|Pr\\.?|PR\\.?|Professeur"
)
_PLACE_WORDS: Final = (
    "Hôpital", "hôpital", "HÔPITAL", "Hopital", "hopital", "HOPITAL", "CH", "CHU", "CHR", "CHI",
    "ch", "chu", "GH", "HIA", "Clinique", "clinique", "CLINIQUE", "Institut", "institut",
    "Centre", "centre", "Pavillon", "pavillon", "Service", "service", "Unité", "unité", "Salle",
    "salle", "Bâtiment", "bâtiment", "Fondation", "fondation", "européen", "Européen",
    "EHPAD", "ehpad", "Résidence", "résidence", "rue", "Rue", "avenue", "Avenue", "bd", "Bd",
    "boulevard", "Boulevard", "place", "Place", "allée", "Allée", "quai", "Quai", "Lycée", "lycée",
    "collège", "Collège", "école", "École", "Saint", "saint", "Sainte", "sainte", "St", "Ste",
    "maladie de", "syndrome de", "signe de", "score de", "test de", "manœuvre de", "Hospices",
    "Groupe hospitalier", "groupe hospitalier", "site", "Site", "secteur", "aile", "Aile",
)  # fmt: skip
"""Words after which a first name and a surname name a place or a disease, not a person."""
_NOT_AFTER_PLACE: Final = "".join(
    f"(?<!{w}{gap})" for w in _PLACE_WORDS for gap in (" ", "  ", "\\n")
)
_SENTENCE_WORDS: Final = (
    "Pas|Le|La|Les|Un|Une|Il|Elle|On|Vu|Au|Aux|En|De|Du|Des|Et|Sa|Son|Ses|Ce|Cette|Bon|Avis|"
    "Pour|Sur|Dans|Absence|Traitement|Patient|Patiente|Bilan|Examen|Sortie|Retour|Appel|Avec|"
    "Plaquettes|Glycémie|Poids|Taille|Scanner|Admis|Admise|Transféré|Transférée|Pansement"
)
"""Capitalised words that start a sentence after an abbreviation (``vitamine D. Pas de...``)."""
_LOWER_STOPWORDS: Final = (
    "est|a|et|le|la|les|de|du|des|en|au|aux|par|pour|sur|avec|dans|qui|que|ne|se|sa|son|ses|"
    "très|pas|bien|va|vient|dit|reste|ou|un|une|il|elle|on|ce|cette|mais|donc|puis|ans"
)
_LOWER_NAMES_EXCLUDED: Final = frozenset(
    {
        "rose", "marine", "claire", "pascal", "victoire", "aimé", "aimée", "noël", "france",
        "ange", "blanche", "constant", "désiré", "prosper", "grâce", "olive", "violette",
        "capucine", "colombe", "gaspard", "martin", "laurent", "vincent", "clément", "alexandre",
        "marius", "basile", "hugo", "romain", "lucie", "marc", "paul", "louis",
    }
)  # fmt: skip
"""Lower-case first names that are words, places or eponyms in notes more often than names."""

_EMAIL: Final = "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"

_PHONE_SEPARATORS: Final = ("[ ]{0,2}", "\\.?", "-?", "/?")
_NOT_AFTER_LOT: Final = "".join(
    f"(?<!{lot})"
    for lot in (
        "[Ll][Oo][Tt] ",
        "[Ll][Oo][Tt]:",
        "[Ll][Oo][Tt]: ",
        "[Ll][Oo][Tt] : ",
        "[Ll][Oo][Tt] [Nn]°",
        "[Ll][Oo][Tt] [Nn]° ",
        "[Ll][Oo][Tt] [Nn][Oo] ",
        "[Ll][Oo][Tt] [Nn]°:",
        "[Ll][Oo][Tt] [Nn]° : ",
        "[Ll][Oo][Tt] [Nn]°\\n",
        "[Ll][Oo][Tt] [Nn]°\\n ",
        "[Ll][Oo][Tt]\\n",
        "[Ll][Oo][Tt]\\n ",
        "[Bb][Aa][Tt][Cc][Hh] ",
    )
)
_PHONE_END: Final = "(?![0-9])(?![ ./-]{1,2}[0-9])"
_PHONE: Final = (
    f"(?:^|[^0-9+])(?<![0-9][ ./-])(?<![0-9]  ){_NOT_AFTER_LOT}(?:"
    + "|".join(
        f"(?:0|(?:[+]|00)[ .]?33[ .]?(?:\\(0\\)[ .]?)?){sep}[1-9](?:{sep}[0-9]){{8}}"
        for sep in _PHONE_SEPARATORS
    )
    + f"){_PHONE_END}"
)
_EXTENSION: Final = (
    "(?:^|[^a-zà-ÿ])(?:poste|bip|joignable au|t[ée]l[ée]?(?:phone)?\\.?|tel\\.?|☎)"
    "[ :.°n-]{0,6}(?<![0-9])[0-9]{4,5}(?![0-9])(?![ .-][0-9])"
)

_NIR_BODY: Final = (
    "[1-478](?:[ .-]{0,2}[0-9]){4}[ .-]{0,2}(?:[0-9][ .-]{0,2}[0-9]|2[ .-]{0,2}[ABab])"
    "(?:[ .-]{0,2}[0-9]){6}"
)
_NIR_KEY: Final = "[ ./-]{0,3}[0-9][ .-]{0,2}[0-9]"
_NIR_START: Final = "(?<![0-9A-Za-z])(?<![0-9][ .-])"
_NIR_END: Final = "(?![0-9])(?![ .-][0-9])"
NIR_EXTRACT: Final = f"{_NIR_START}({_NIR_BODY}{_NIR_KEY}){_NIR_END}"
"""Every NIR-shaped number in a text, one group each, however spaced (Python and PostgreSQL)."""
_NIR_KEYED: Final = f"{_NIR_START}{_NIR_BODY}{_NIR_KEY}{_NIR_END}"
_NIR_CUES: Final = (
    "n[°o]?[ .]?s[ .]?s|s[éÉe]cu(?:rit[éÉe] sociale)?|assur[éÉe]e?(?:[ ]?\\(e\\))?|"
    "identification|assurance maladie|insee|immatriculation|nir|matricule"
)
_NIR_CUED: Final = (
    f"(?:^|[^a-zà-ÿ])(?:{_NIR_CUES})(?![a-zà-ÿ])[^0-9]{{0,25}}"
    f"{_NIR_START}{_NIR_BODY}(?:{_NIR_KEY})?{_NIR_END}"
)

_STREET_TYPES: Final = (
    "rue|avenue|av\\.?|boulevard|bd|bld|place|pl\\.|impasse|imp\\.|all[éeÉE]e|chemin|ch\\.|"
    "route|rte|quai|square|r[éeÉE]sidence|lotissement|lieu-dit|hameau|faubourg|fbg|"
    "esplanade|promenade|parvis|sentier|cours"
)
_ADDRESS: Final = (
    f"{_NOT_AFTER_DIGIT}[0-9]{{1,4}}(?:[ ]?(?:bis|ter|b))?,?[ ]+(?:{_STREET_TYPES})"
    f"[ ]+(?:de |du |des |de la |d')?[{_LETTER}]"
)

_MONTH_NAMES: Final = (
    "janvier|f[éeÉE]vrier|mars|avril|mai|juin|juillet|ao[ûuÛU]t|septembre|octobre|novembre|"
    "d[éeÉE]cembre"
)
_DATE_NUMERIC: Final = (
    f"{_NOT_AFTER_DIGIT}[0-3]?[0-9][ ]?[/.|-][ ]?[01]?[0-9][ ]?[/.|-][ ]?(?:19|20)?[0-9]{{2}}"
    "(?![0-9])"
)
_DATE_IN_WORDS: Final = (
    f"(?:1er|{_NOT_AFTER_DIGIT}[0-3]?[0-9]|[a-zéÉ-]+(?:[ -][a-zéÉ]+){{0,3}})[ ]+(?:{_MONTH_NAMES})"
    "[ ]+(?:(?:19|20)?[0-9]{2}(?![0-9])|mille|deux mille)"
)
_DATE_ISO: Final = "(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]"
_DATE: Final = f"(?:{_DATE_NUMERIC}|{_DATE_IN_WORDS}|{_DATE_ISO})"
_BIRTH_CUES: Final = (
    "n[éÉ]e?(?:[ ]?\\(e\\))?|ddn|d\\.d\\.n\\.?|dn|date de naiss(?:ance|\\.)?|naissance"
)
_BIRTH_CUED: Final = (
    f"(?:^|[^a-zà-ÿ])(?:{_BIRTH_CUES})(?![a-zà-ÿ]){_GAP}*[:,-]?{_GAP}*(?:[l1]e[ :\\n-]*|en{_GAP}+)?"
    f"(?:{_DATE}|(?:19|20)[0-9]{{2}})"
)
_BIRTH_WITH_AGE: Final = f"(?:{_DATE_NUMERIC}|{_DATE_IN_WORDS})[ ]*[(,-]?[ ]*[0-9]{{1,3}}[ ]?ans"
_BIRTH_AFTER_SEX: Final = f"(?<![a-zà-ÿ0-9])[fm][ ]*[|;,]?[ ]+(?:{_DATE_NUMERIC}|{_DATE_IN_WORDS})"

_PATIENT_CUES: Final = (
    "ipp|nda|nip|n[°o]?[ \\n]*(?:de[ \\n]+)?s[éÉe]jour|"
    "num(?:[éÉe]ro|\\.)?[ \\n]*(?:de[ \\n]+)?s[éÉe]jour|"
    "n[°o]?[ \\n]*(?:de[ \\n]+)?dossier|dossier[ \\n]*n[°o]?|"
    "n[°o]?[ \\n]*(?:de[ \\n]+)?venue|venue|"
    "id(?:entifiant)?[ \\n]+patient|n[°o]?[ \\n]*patient"
)
_PATIENT_CUED: Final = (
    f"(?:^|[^a-zà-ÿ])(?:{_PATIENT_CUES})(?![a-zà-ÿ]){_GAP}*[:°#.-]?{_GAP}*(?:n[°o]{_GAP}*)?"
    "[0-9](?:[ -]?[0-9]){5,13}(?![0-9])"
)
_PATIENT_CELL: Final = "[|][ ]*[0-9]{6,12}[ ]*(?:[|]|\\n|$)"
_PATIENT_GLUED: Final = f"{_NOT_AFTER_DIGIT}[0-9]{{6,12}}:[ ]?[{_UPPER}]{{2,}}"


@dataclass(frozen=True)
class PhiRule:
    """One way a category of identifying information shows, as a portable regular expression."""

    category: str
    name: str
    """What the rule looks for, for people and tests (``nir.cued``, ``phone.extension``...)."""
    regex: str
    """Matches somewhere in a value that holds one (a search), in Python and PostgreSQL."""
    ignore_case: bool = False
    checked: bool = False
    """Candidates must also pass the NIR check key: see :func:`text_has_valid_nir`."""
    first_names: bool = False
    """Built on the first-name list (or a lower-case title): :func:`screen_patterns` screens
    for it by the listed name, not by its own pattern."""

    @property
    def re2(self) -> str:
        """The rule for RE2 (Arrow compute), look-arounds removed: it matches a superset."""
        relaxed = without_lookarounds(self.regex)
        return f"(?i){relaxed}" if self.ignore_case else relaxed

    @property
    def exact_in_re2(self) -> bool:
        """Whether RE2 alone decides (the rule has no look-around and no key to check)."""
        return not self.checked and without_lookarounds(self.regex) == self.regex

    @functools.cached_property
    def compiled(self) -> re.Pattern[str]:
        return re.compile(self.regex, re.IGNORECASE if self.ignore_case else 0)


def without_lookarounds(regex: str) -> str:
    """``regex`` with every ``(?=…)``, ``(?!…)``, ``(?<=…)`` and ``(?<!…)`` group removed."""
    out: list[str] = []
    i, n = 0, len(regex)
    while i < n:
        if regex.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _group_end(regex, i)
            continue
        if regex[i] == "\\":
            out.append(regex[i : i + 2])
            i += 2
            continue
        if regex[i] == "[":
            end = _class_end(regex, i)
            out.append(regex[i:end])
            i = end
            continue
        out.append(regex[i])
        i += 1
    return "".join(out)


def _class_end(regex: str, start: int) -> int:
    i = start + 1
    if i < len(regex) and regex[i] == "^":
        i += 1
    if i < len(regex) and regex[i] == "]":
        i += 1
    while regex[i] != "]":
        i += 2 if regex[i] == "\\" else 1
    return i + 1


def _group_end(regex: str, start: int) -> int:
    depth, i = 0, start
    while True:
        char = regex[i]
        if char == "\\":
            i += 2
            continue
        if char == "[":
            i = _class_end(regex, i)
            continue
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


@functools.cache
def first_names() -> tuple[str, ...]:
    """The bundled list of common French first names, longest first."""
    text = (
        importlib.resources.files("codesign.governance")
        .joinpath("first_names.txt")
        .read_text(encoding="utf-8")
    )
    names = {line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"}
    return tuple(sorted(names, key=lambda n: (-len(n), n)))


def _alternatives(names: list[str]) -> str:
    return "(?:" + "|".join(re.escape(n) for n in sorted(set(names), key=lambda n: -len(n))) + ")"


_LOWER_TITLES: Final = ("mme", "mr", "mlle", "dr", "pr")
"""Titles typed in lower case before a name (``mme dupont``)."""


def _name_rules() -> tuple[PhiRule, ...]:
    names = first_names()
    first = _alternatives(list(names))
    first_upper = _alternatives([n.upper() for n in names])
    first_lower = _alternatives(
        [n.lower() for n in names if n.lower() not in _LOWER_NAMES_EXCLUDED]
    )
    caps = f"[{_UPPER}]{{2,}}(?:[ '-][{_UPPER}]{{2,}}){{0,3}}"
    not_an_acronym = "(?!(?:CHU|CHR|CHI|CH|HIA|EHPAD|GH|SAMU|SMUR|IDE|ASH|AS|SAU|UHCD)[ ])"
    initial_after = "(?:^|\\n|[,;:(|] ?|[ \\n](?:par|et|avec) )"
    lower_letters = "a-zß-öø-ÿœ"
    not_in_an_address = f"(?![{lower_letters}0-9@_])(?![.-][{lower_letters}0-9])"
    return (
        PhiRule(
            "phi.name",
            "name.title",
            f"{_WORD_START}(?:{_TITLES})[ ]+(?:[{_UPPER}]\\.[ ]?)?{_PARTICLE}{_SURNAME}",
        ),
        PhiRule(
            "phi.name",
            "name.first_last",
            f"{_WORD_START}{_NOT_AFTER_PLACE}{first}(?:-{first})?[ ]+{_PARTICLE}{_SURNAME}",
            first_names=True,
        ),
        PhiRule(
            "phi.name",
            "name.caps_first",
            f"{_WORD_START}{_NOT_AFTER_PLACE}{not_an_acronym}{caps}[ ]+"
            f"(?:{first}|{first_upper})(?:-{first})?{_WORD_END}",
            first_names=True,
        ),
        PhiRule(
            "phi.name",
            "name.initial",
            f"{initial_after}[ ]?[{_UPPER}]\\.[ ]?(?!(?:{_SENTENCE_WORDS}){_NOT_BEFORE_LETTER})"
            f"{_PARTICLE}[{_UPPER}](?:'[{_UPPER}])?[{_LOWER}]{{2,}}(?:-[{_UPPER}][{_LOWER}]+)?"
            f"{_NOT_BEFORE_LETTER}",
        ),
        PhiRule(
            "phi.name",
            "name.lower_case",
            f"{_WORD_START}{_NOT_AFTER_PLACE}(?:(?:{'|'.join(_LOWER_TITLES)})\\.?[ ]+"
            f"|{first_lower}(?:-{first_lower})?[ ]+)"
            f"(?!(?:{_LOWER_STOPWORDS})(?![{lower_letters}]))"
            f"(?:(?:de|du|le|la|da|van) )?[{lower_letters}][{lower_letters}'-]{{2,}}"
            f"{not_in_an_address}",
            first_names=True,
        ),
        PhiRule(
            "phi.name",
            "name.lower_case_reversed",
            f"{_WORD_START}{_NOT_AFTER_PLACE}(?!(?:{_LOWER_STOPWORDS})[ ])"
            f"[{lower_letters}][{lower_letters}'-]{{2,}}[ ]+{first_lower}{not_in_an_address}",
            first_names=True,
        ),
    )


@functools.cache
def rules() -> tuple[PhiRule, ...]:
    """Every rule, grouped by category in the order of :data:`PHI_CATEGORIES`."""
    found = (
        PhiRule("phi.nir", "nir.keyed", _NIR_KEYED, checked=True),
        PhiRule("phi.nir", "nir.cued", _NIR_CUED, ignore_case=True),
        PhiRule("phi.phone", "phone.number", _PHONE),
        PhiRule("phi.phone", "phone.extension", _EXTENSION, ignore_case=True),
        PhiRule("phi.email", "email", _EMAIL),
        *_name_rules(),
        PhiRule("phi.address", "address.street", _ADDRESS, ignore_case=True),
        PhiRule("phi.birthdate", "birthdate.cued", _BIRTH_CUED, ignore_case=True),
        PhiRule("phi.birthdate", "birthdate.with_age", _BIRTH_WITH_AGE, ignore_case=True),
        PhiRule("phi.birthdate", "birthdate.after_sex", _BIRTH_AFTER_SEX, ignore_case=True),
        PhiRule("phi.patient_id", "patient_id.cued", _PATIENT_CUED, ignore_case=True),
        PhiRule("phi.patient_id", "patient_id.table_cell", _PATIENT_CELL),
        PhiRule("phi.patient_id", "patient_id.glued_to_name", _PATIENT_GLUED),
    )
    order = tuple(dict.fromkeys(r.category for r in found))
    if order != PHI_CATEGORIES:  # pragma: no cover - a coding error
        msg = "PHI rules out of step with PHI_CATEGORIES"
        raise RuntimeError(msg)
    return found


def category_rules(category: str) -> tuple[PhiRule, ...]:
    """The rules of one category."""
    return tuple(r for r in rules() if r.category == category)


def nir_is_valid(candidate: str) -> bool:
    """Whether a NIR-shaped string, however spaced, has the right check key (python-stdnum)."""
    from stdnum.fr import nir

    return bool(nir.is_valid(re.sub("[^0-9A-Za-z]", "", candidate)))


@functools.cache
def _nir_extract() -> re.Pattern[str]:
    return re.compile(NIR_EXTRACT)


def text_has_valid_nir(text: str) -> bool:
    """Whether ``text`` holds at least one NIR with a valid key."""
    return any(nir_is_valid(m.group(1)) for m in _nir_extract().finditer(text))


def found_in(text: str) -> set[str]:
    """The categories ``text`` holds (Python only; the reference the scans must agree with)."""
    return {
        rule.category
        for rule in rules()
        if rule.compiled.search(text) and (not rule.checked or text_has_valid_nir(text))
    }


# --- scanning Arrow strings (pandas) ------------------------------------------------------------


def scan_strings(values: pa.Array | pa.ChunkedArray) -> dict[str, np.ndarray]:
    """For each category, which values hold identifying information (a boolean mask each).

    Three stages, each on fewer values than the one before, so that the cost per row is a few
    RE2 passes whatever the number of rules:

    1. a column that repeats its values (a chief complaint, a history picked from a list) is
       scanned once per distinct value, the masks spread back over the rows;
    2. two RE2 passes over every value (:func:`screen_patterns`) find the few that may hold
       anything;
    3. only those are matched group by group (:func:`prefilter_groups`) and rule by rule, and
       only the rules RE2 cannot decide alone (look-arounds, the NIR key) are confirmed with
       Python, on the values RE2 retained.

    Nulls hold nothing.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.string())
    values = contiguous(values)
    distinct = _distinct_if_repeated(values)
    if distinct is None:
        return _screened_scan(values)
    texts, positions = distinct
    found = _screened_scan(texts)
    return {category: np.append(mask, False)[positions] for category, mask in found.items()}


def contiguous(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """``values`` as one array: Arrow compiles a regular expression afresh for every chunk.

    A column read from a CSV comes in one chunk per block the reader parsed (a hundred or more
    per batch); matching the screens chunk by chunk compiles them, and warms RE2's automaton,
    that many times, which costs ten times the match itself. One copy of the column costs far
    less.
    """
    import pyarrow as pa

    if not isinstance(values, pa.ChunkedArray):
        return values
    if pa.types.is_string(values.type):  # 32-bit offsets: one array could overflow them
        values = values.cast(pa.large_string())
    return values.combine_chunks()


_REPEAT_SAMPLE: Final = 10_000
"""Values looked at to decide whether a column repeats enough to be scanned per distinct value."""


def _distinct_if_repeated(
    values: pa.Array | pa.ChunkedArray,
) -> tuple[pa.Array, np.ndarray] | None:
    """The distinct values and each row's position among them (nulls past the end), or None.

    Hashing every value costs about one RE2 pass: worth it when the first rows show that at
    most half the values are new, not for notes written one by one.
    """
    import pyarrow.compute as pc

    sample = values.slice(0, _REPEAT_SAMPLE)
    if 2 * pc.count_distinct(sample, mode="all").as_py() > len(sample):
        return None
    texts = pc.unique(values).drop_null()
    positions = pc.index_in(values, value_set=texts).fill_null(len(texts))
    return texts, positions.to_numpy()


def _screened_scan(values: pa.Array | pa.ChunkedArray) -> dict[str, np.ndarray]:
    """Stages 2 and 3 of :func:`scan_strings` (strings in, a mask per category out)."""
    import numpy as np
    import pyarrow as pa

    size = len(values)
    masks = {category: np.zeros(size, dtype=bool) for category in PHI_CATEGORIES}
    if size == 0:
        return masks
    retained = np.zeros(size, dtype=bool)
    for pattern in screen_patterns():
        retained |= _matches(values, pattern)
    rows = np.flatnonzero(retained)
    if rows.size == 0:
        return masks
    for category, mask in _rule_scan(values.take(pa.array(rows))).items():
        masks[category][rows] = mask
    return masks


def _rule_scan(values: pa.Array | pa.ChunkedArray) -> dict[str, np.ndarray]:
    """Stage 3 of :func:`scan_strings`: a pass per group, then rule by rule where RE2 hit."""
    import numpy as np
    import pyarrow as pa

    masks = {category: np.zeros(len(values), dtype=bool) for category in PHI_CATEGORIES}
    for pattern, group in prefilter_groups():
        suspects = np.flatnonzero(_matches(values, pattern))
        if suspects.size == 0:
            continue
        subset = values.take(pa.array(suspects))
        for rule in group:
            hits = _matches(subset, rule.re2) if len(group) > 1 else np.ones(len(subset), bool)
            if not rule.exact_in_re2 and hits.any():
                where = np.flatnonzero(hits)
                texts = subset.take(pa.array(where)).to_pylist()
                hits[where] = [_confirmed(rule, text) for text in texts]
            masks[rule.category][suspects] |= hits
    return masks


def _confirmed(rule: PhiRule, text: str) -> bool:
    if rule.checked:
        return any(nir_is_valid(m.group(1)) for m in _nir_extract().finditer(text))
    return rule.compiled.search(text) is not None


@functools.cache
def prefilter_groups() -> tuple[tuple[str, tuple[PhiRule, ...]], ...]:
    """The RE2 passes over a whole column: a pattern each, and the rules it stands for."""
    groups: list[tuple[str, tuple[PhiRule, ...]]] = []
    for category in PHI_CATEGORIES:
        found = category_rules(category)
        if category == "phi.name":
            groups += [(rule.re2, (rule,)) for rule in found]
        else:
            groups.append(("|".join(_re2_alternative(rule) for rule in found), found))
    return tuple(groups)


@functools.cache
def screen_patterns() -> tuple[str, ...]:
    """Two RE2 patterns such that a value any rule matches matches one of them.

    - The rules without a first-name list, look-arounds removed, in one alternation.
    - For the four rules built on the first-name list: a listed first name (as listed, in
      capitals or in lower case; or ``mme``, ``mr``, ``mlle``, ``dr``, ``pr``) standing at the
      start of a word and not followed by a lower-case letter, which each of them requires
      (the name is followed by a blank, a hyphen, a dot or the end of the word). A literal
      list with that one context makes a small automaton, where the rules' own contexts (a
      capitalised word before or after) do not combine.

    Each pattern costs about one pass of the simplest rule; the groups of
    :func:`prefilter_groups` then run on the values retained only.
    """
    others = "|".join(_re2_alternative(rule) for rule in rules() if not rule.first_names)
    names = first_names()
    spellings = {*names, *(n.upper() for n in names), *(n.lower() for n in names)}
    spellings |= set(_LOWER_TITLES)
    listed = _alternatives(sorted(spellings))
    return others, f"(?:^|[^{_LETTER}]){listed}(?:$|[^{_LOWER}])"


def _re2_alternative(rule: PhiRule) -> str:
    relaxed = without_lookarounds(rule.regex)
    return f"(?i:{relaxed})" if rule.ignore_case else f"(?:{relaxed})"


def _matches(values: pa.Array | pa.ChunkedArray, regex: str) -> np.ndarray:
    import numpy as np
    import pyarrow.compute as pc

    result = pc.match_substring_regex(values, pattern=regex).fill_null(False)
    mask: np.ndarray = np.asarray(result.to_numpy(zero_copy_only=False), dtype=bool)
    return mask
