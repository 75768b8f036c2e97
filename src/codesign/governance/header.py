"""A data file's columns for the data contract form: names and types, never a value.

A team starting from the blank preset has a data extract and no contract; typing twenty column
names and types by hand is where the workshop loses the room. :func:`read_columns` reads the
file's header (and, for a CSV, a sample of rows to tell a number from a date from text) and
proposes each column's name and type. What it returns holds no value of the data:

* a name that could hold patient data (a CSV exported without its header row has the first
  patient's values as names) is not proposed: the column is given by position only, as the gate
  does (:mod:`.columns`), and the person types its name;
* types are decided from a sample that never leaves this function; categories get no allowed
  values (those would be values).

The file is read the way the gate reads it: the dialect from :func:`codesign.csvfile.sniff_csv`,
Parquet from its schema alone. Only a regular file is opened (never a FIFO or a device).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

from codesign.charter.model import ColumnType
from codesign.csvfile import SAMPLE_BYTES, sniff_csv
from codesign.exceptions import DataError
from codesign.fileio import check_regular_file
from codesign.governance.columns import name_is_shown, position_name
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

SAMPLE_ROWS: Final = 2000
"""Rows of a CSV read to decide the types; their values are never kept."""
SAMPLE_LIMIT: Final = 16 * SAMPLE_BYTES
"""Bytes of a CSV read at most for the sample (about a megabyte)."""
CATEGORY_MAX: Final = 12
"""A text column with at most this many distinct values in a sample of 20 rows or more reads
as a category."""
DATA_SUFFIXES: Final = (".csv", ".tsv", ".txt", ".parquet", ".pq")

_INTEGER: Final = re.compile(r"[+-]?\d+")
_NUMBER: Final = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?")
_BOOLEAN: Final = frozenset({"true", "false", "yes", "no", "oui", "non", "vrai", "faux"})
_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4}")
_DATETIME: Final = re.compile(
    r"(\d{4}-\d{2}-\d{2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})[T ]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?"
    r"(Z|[+-]\d{2}:?\d{2})?"
)


@dataclass(frozen=True)
class ColumnGuess:
    """One column of the file: its position, its name when it may be shown, its likely type."""

    position: int
    name: str | None
    """``None`` when the name could hold patient data (it is never returned)."""
    type: ColumnType

    @property
    def label(self) -> str:
        """How a message names it: its name, or ``column 3``."""
        return self.name if self.name is not None else position_name(self.position)


def read_columns(path: Path) -> list[ColumnGuess]:
    """The columns of the CSV or Parquet file at ``path``; a :class:`DataError` if unreadable."""
    try:
        check_regular_file(path, what="data file")
    except FileNotFoundError:
        msg = f"{path}: not found; expected a CSV or Parquet data file"
        raise DataError(msg) from None
    if path.suffix.lower() in (".parquet", ".pq"):
        return _parquet_columns(path)
    return _csv_columns(path)


def _parquet_columns(path: Path) -> list[ColumnGuess]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except (pa.ArrowException, OSError) as e:
        msg = f"{path}: not a readable Parquet file ({type(e).__name__})"
        raise DataError(msg) from None
    names = list(schema.names)
    return [
        ColumnGuess(i, name if name_is_shown(name, None) else None, _arrow_type(schema.field(i)))
        for i, name in enumerate(names)
    ]


def _arrow_type(field: object) -> ColumnType:
    import pyarrow as pa

    kind = field.type  # type: ignore[attr-defined]
    if pa.types.is_boolean(kind):
        return ColumnType.BOOLEAN
    if pa.types.is_integer(kind):
        return ColumnType.INTEGER
    if pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        return ColumnType.NUMBER
    if pa.types.is_date(kind):
        return ColumnType.DATE
    if pa.types.is_timestamp(kind):
        return ColumnType.DATETIME
    if pa.types.is_dictionary(kind):
        return ColumnType.CATEGORY
    return ColumnType.TEXT


def _csv_columns(path: Path) -> list[ColumnGuess]:
    dialect = sniff_csv(path, "data file")
    try:
        with path.open("rb") as stream:
            data = stream.read(SAMPLE_LIMIT)
    except OSError as e:
        msg = f"{path}: cannot read the file ({os_reason(e)})"
        raise DataError(msg) from e
    try:
        text = dialect.decode(data) if len(data) < SAMPLE_LIMIT else dialect.decode_start(data)
    except UnicodeDecodeError:  # a stray byte past the sniffed start: types need no exactness
        text = data.decode(dialect.encoding, errors="replace").removeprefix("\ufeff")
    rows = list(_rows(text, dialect.delimiter, complete=len(data) < SAMPLE_LIMIT))
    if not rows or not any(cell.strip() for cell in rows[0]):
        msg = f"{path}: no header line; expected the column names on the first line"
        raise DataError(msg)
    header, sample = rows[0], rows[1 : SAMPLE_ROWS + 1]
    repeated = [i for i, name in enumerate(header) if name in header[:i]]
    if repeated:
        where = ", ".join(position_name(i) for i in repeated)
        msg = f"{path}: the name of {where} repeats an earlier column's name"
        raise DataError(msg)
    return [
        ColumnGuess(
            i,
            name if name_is_shown(name, None) else None,
            _guess([row[i] for row in sample if i < len(row)]),
        )
        for i, name in enumerate(header)
    ]


def _rows(text: str, delimiter: str, *, complete: bool) -> list[list[str]]:
    lines = text.splitlines(keepends=True)
    if not complete and len(lines) > 1:
        lines = lines[:-1]  # the last line of a cut sample may be cut
    return list(csv.reader(io.StringIO("".join(lines)), delimiter=delimiter))


def _guess(values: Sequence[str]) -> ColumnType:
    """The type the sample's filled cells all fit, narrowest first; text when nothing fits."""
    filled = [v.strip() for v in values if v.strip() and v.strip().upper() not in ("NA", "NULL")]
    if not filled:
        return ColumnType.TEXT
    checks: tuple[tuple[ColumnType, re.Pattern[str] | frozenset[str]], ...] = (
        (ColumnType.INTEGER, _INTEGER),
        (ColumnType.NUMBER, _NUMBER),
        (ColumnType.BOOLEAN, _BOOLEAN),
        (ColumnType.DATE, _DATE),
        (ColumnType.DATETIME, _DATETIME),
    )
    for kind, rule in checks:
        if all(_fits(v, rule) for v in filled):
            return kind
    if len(filled) >= 20 and len(set(filled)) <= CATEGORY_MAX:
        return ColumnType.CATEGORY
    return ColumnType.TEXT


def _fits(value: str, rule: re.Pattern[str] | frozenset[str]) -> bool:
    if isinstance(rule, frozenset):
        return value.casefold() in rule
    return rule.fullmatch(value) is not None
