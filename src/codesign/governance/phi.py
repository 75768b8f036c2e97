"""What identifying information looks like in French clinical data, and how to find it fast.

Each category of DESIGN.md section 5 is one regular expression written in the subset of syntax
that RE2 (Arrow's engine, used on pandas' Arrow-backed strings), Python's :mod:`re` and
PostgreSQL's advanced regular expressions read the same way: no ``\\d``, ``\\b`` or look-arounds
in the row patterns, explicit character classes, ``(?:...)`` groups. So a CSV checked with pandas
and the same rows checked inside PostgreSQL with ``~`` give the same counts.

The patterns are chosen against the numbers clinical notes are full of: vital signs (``TA
135/85``, ``FC 112``), doses, lab values, dates of visit without a birth context, box, room and
lot numbers, 13-digit drug codes. A phone number needs ten digits in pairs with one consistent
separator; a date counts as a birth date only after ``né le``, ``DDN`` or ``date de naissance``;
a NIR must have a valid check key (python-stdnum, Corsica 2A/2B included): a 15-digit number with
a wrong key is not a NIR. A person name needs a civil title (``M.``, ``Mme``, ``Dr`` ...) or a
first name from a list of common French first names next to a capitalised surname.

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
_LOWER: Final = "a-zß-öø-ÿœ"
_LETTER: Final = f"{_UPPER}{_LOWER}Œ"
_WORD_START: Final = f"(?:^|[^{_LETTER}0-9_])"
_WORD_END: Final = f"(?:$|[^{_LETTER}0-9_])"
_SURNAME: Final = f"[{_UPPER}][{_LETTER}'-]*[{_LETTER}]"
_PARTICLE: Final = "(?:(?:de|du|des|de la|le|la|da|van|von|d')[ ]?)?"
_TITLES: Final = (
    "M\\.|MM\\.|Mr\\.?|Mme\\.?|Mmes|Mlle\\.?|Melle|Monsieur|Madame|Mademoiselle|"
    "MONSIEUR|MADAME|MME|MLLE|Dr\\.?|DR\\.?|Docteur|Pr\\.?|Professeur"
)

_EMAIL: Final = "[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"

_PHONE_HEADS: Final = ("0[1-9]", "(?:\\+|00)[ ]?33[ ]?(?:\\(0\\)[ ]?)?[1-9]")
_PHONE_SEPARATORS: Final = ("", "[ ]", "\\.", "-")
_PHONE: Final = (
    "(?:^|[^0-9+])(?:"
    + "|".join(
        f"{head}(?:{sep}[0-9]{{2}}){{4}}" for head in _PHONE_HEADS for sep in _PHONE_SEPARATORS
    )
    + ")(?:$|[^0-9])"
)

_NIR_BODY: Final = (
    "[1-478][ .]?[0-9]{2}[ .]?[0-9]{2}[ .]?(?:[0-9]{2}|2[ABab])[ .]?"
    "[0-9]{3}[ .]?[0-9]{3}[ .]?[0-9]{2}"
)
_NIR_CANDIDATE: Final = f"(?:^|[^0-9A-Za-z]){_NIR_BODY}(?:$|[^0-9])"
NIR_EXTRACT: Final = f"(?<![0-9A-Za-z])({_NIR_BODY})(?![0-9])"
"""Every NIR-shaped number in a text, one group each (Python ``re`` and PostgreSQL only)."""

_STREET_TYPES: Final = (
    "rue|avenue|av\\.?|boulevard|bd|bld|place|pl\\.|impasse|imp\\.|all[éeÉE]e|chemin|ch\\.|"
    "route|rte|quai|square|r[éeÉE]sidence|lotissement|lieu-dit|hameau|faubourg|fbg|"
    "esplanade|promenade|parvis|sentier"
)
_ADDRESS: Final = (
    "(?:^|[^0-9])[0-9]{1,4}(?:[ ]?(?:bis|ter|b))?,?[ ]+(?:" + _STREET_TYPES + ")"
    f"[ ]+(?:de |du |des |de la |d')?[{_LETTER}]"
)

_MONTH_NAMES: Final = (
    "janvier|f[éeÉE]vrier|mars|avril|mai|juin|juillet|ao[ûuÛU]t|septembre|octobre|novembre|"
    "d[éeÉE]cembre"
)
_DATE: Final = (
    "(?:[0-3]?[0-9][ ]?[/.-][ ]?[01]?[0-9][ ]?[/.-][ ]?(?:19|20)?[0-9]{2}"
    f"|[0-3]?[0-9](?:er)?[ ]+(?:{_MONTH_NAMES})[ ]+(?:19|20)[0-9]{{2}}"
    "|(?:19|20)[0-9]{2}-[01][0-9]-[0-3][0-9]"
    "|(?:19|20)[0-9]{2})"
)
_BIRTH_CONTEXT: Final = (
    f"(?:^|[^{_LETTER}])"
    "(?:n[éeÉE](?:e|[ ]?\\(e\\))?|ddn|d\\.d\\.n\\.?|date de naissance)"
    "[ ]*[:,]?[ ]*(?:le[ ]+|en[ ]+)?"
)


@dataclass(frozen=True)
class PhiPattern:
    """One category of identifying information, as a portable regular expression."""

    category: str
    regex: str
    """Matches somewhere in a value that holds one (a search, not a full match)."""
    ignore_case: bool = False
    checked: bool = False
    """Candidates must also pass a check digit (the NIR key): see :func:`nir_is_valid`."""

    @property
    def re2(self) -> str:
        """The pattern for RE2 (Arrow compute), case flag included."""
        return f"(?i){self.regex}" if self.ignore_case else self.regex


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


@functools.cache
def patterns() -> tuple[PhiPattern, ...]:
    """Every category's pattern, in the order of :data:`codesign.project.PHI_CATEGORIES`."""
    first = "(?:" + "|".join(re.escape(n) for n in first_names()) + ")"
    name = (
        f"{_WORD_START}(?:"
        f"(?:{_TITLES})[ ]+(?:[{_UPPER}]\\.[ ]?)?{_PARTICLE}{_SURNAME}"
        f"|{first}(?:-{first})?[ ]+{_PARTICLE}{_SURNAME}"
        f"|[{_UPPER}]{{2,}}(?:[ -][{_UPPER}]{{2,}})?[ ]+{first}{_WORD_END}"
        ")"
    )
    found = (
        PhiPattern("phi.nir", _NIR_CANDIDATE, checked=True),
        PhiPattern("phi.phone", _PHONE),
        PhiPattern("phi.email", _EMAIL),
        PhiPattern("phi.name", name),
        PhiPattern("phi.address", _ADDRESS, ignore_case=True),
        PhiPattern("phi.birthdate", _BIRTH_CONTEXT + _DATE, ignore_case=True),
    )
    if tuple(p.category for p in found) != PHI_CATEGORIES:  # pragma: no cover - a coding error
        msg = "PHI patterns out of step with PHI_CATEGORIES"
        raise RuntimeError(msg)
    return found


def nir_is_valid(candidate: str) -> bool:
    """Whether a NIR-shaped string has the right check key (python-stdnum)."""
    from stdnum.fr import nir

    return bool(nir.is_valid(candidate))


@functools.cache
def _nir_extract() -> re.Pattern[str]:
    return re.compile(NIR_EXTRACT)


def text_has_valid_nir(text: str) -> bool:
    """Whether ``text`` holds at least one NIR with a valid key."""
    return any(nir_is_valid(m.group(1)) for m in _nir_extract().finditer(text))


# --- scanning Arrow strings (pandas) ------------------------------------------------------------


def scan_strings(values: pa.Array | pa.ChunkedArray) -> dict[str, np.ndarray]:
    """For each category, which values hold identifying information (a boolean mask each).

    One RE2 pass of all patterns combined finds the few values that may hold anything; only those
    are matched category by category, and only NIR-shaped candidates are checked with their key
    (in Python, on a handful of values). Nulls hold nothing.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.string())
    size = len(values)
    masks = {category: np.zeros(size, dtype=bool) for category in PHI_CATEGORIES}
    if size == 0:
        return masks
    suspects = np.flatnonzero(_matches(values, _combined()))
    if suspects.size == 0:
        return masks
    subset = values.take(pa.array(suspects))
    for pattern in patterns():
        hits = _matches(subset, pattern.re2)
        if pattern.checked and hits.any():
            candidates = subset.filter(pa.array(hits)).to_pylist()
            valid = np.array([text_has_valid_nir(text) for text in candidates], dtype=bool)
            hits[np.flatnonzero(hits)] = valid
        masks[pattern.category][suspects] = hits
    logger.debug("PHI scan: %d of %d values matched a candidate pattern", suspects.size, size)
    return masks


@functools.cache
def _combined() -> str:
    return "|".join(f"(?i:{p.regex})" if p.ignore_case else f"(?:{p.regex})" for p in patterns())


def _matches(values: pa.Array | pa.ChunkedArray, regex: str) -> np.ndarray:
    import numpy as np
    import pyarrow.compute as pc

    result = pc.match_substring_regex(values, pattern=regex).fill_null(False)
    mask: np.ndarray = np.asarray(result.to_numpy(zero_copy_only=False), dtype=bool)
    return mask
