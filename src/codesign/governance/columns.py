"""Column names are data: which ones the gate may show, and what it calls the others.

A CSV exported without its header row has the first patient's values as column names (name,
NIR, a whole note); a careless export names a column after a patient or a phone number. So a
column's name is shown in results, logs, Data Docs and errors only when it is declared in the
data contract (the charter already holds it), or when it looks like a column name (``[a-z_]``
words with digits, or words joined by ``_``) and holds no identifier by the PHI rules. Any other
column is called by its position, ``column 3``, everywhere, and its name is never written out.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Final

from codesign.governance import phi

if TYPE_CHECKING:
    from collections.abc import Sequence

    from codesign.charter.model import DataContract

logger = logging.getLogger(__name__)

_COLUMN_NAME: Final = re.compile(r"[a-z][a-z0-9_]{0,62}|[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)+")
"""What a column name looks like: lower-case words, or words joined by underscores."""


def position_name(index: int) -> str:
    """How a column whose name is not shown is called: ``column 3`` (counting from 1)."""
    return f"column {index + 1}"


def name_is_shown(name: str, contract: DataContract | None) -> bool:
    """Whether the gate may print and store ``name`` as it is."""
    return _shown([name], contract)[0]


def _shown(names: list[str], contract: DataContract | None) -> list[bool]:
    """For each name, whether it may be shown: declared, or column-like and free of identifiers.

    The names are scanned like values (:func:`~codesign.governance.phi.scan_strings`, RE2 first),
    as written and with underscores read as spaces (``jean_dupont``).
    """
    import pyarrow as pa

    declared = [contract is not None and contract.column(n) is not None for n in names]
    column_like = [len(n) <= 63 and _COLUMN_NAME.fullmatch(n) is not None for n in names]
    masks = phi.scan_strings(pa.array(names + [n.replace("_", " ") for n in names]))
    holds = [
        any(bool(mask[i]) or bool(mask[i + len(names)]) for mask in masks.values())
        for i in range(len(names))
    ]
    return [d or (c and not h) for d, c, h in zip(declared, column_like, holds, strict=True)]


def shown_names(names: Sequence[str], contract: DataContract | None) -> list[str]:
    """The name each column goes under in the gate: its own, or its position."""
    names = list(names)
    allowed = _shown(names, contract) if names else []
    shown = [
        name if ok else position_name(i)
        for i, (name, ok) in enumerate(zip(names, allowed, strict=True))
    ]
    hidden = sum(a != b for a, b in zip(names, shown, strict=True))
    if hidden:
        logger.warning(
            "%d of %d column names could hold patient data; they are shown by position "
            "(is the CSV's header row missing?)",
            hidden,
            len(names),
        )
    return shown
