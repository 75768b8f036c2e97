"""How a CSV file is written: its separator and its text encoding, found once for every reader.

Hospital data arrives from spreadsheets and warehouse exports: commas, semicolons (French
locales), tabs, pipes; UTF-8 with or without Excel's byte order mark, Windows-1252 from older
Excel "CSV" exports, UTF-16 from Excel's "Unicode text". ``codesign check``, ``codesign track``
and the feedback records all ask :func:`sniff_csv` (or :func:`sniff_bytes` for bytes already
read), so a file one of them accepts, the others read the same way.

Ground floor: the standard library only (no pandas), so the charter layer's feedback reader and
the streaming gate can both use it.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, BinaryIO, Final

from codesign.exceptions import DataError
from codesign.system import os_reason

if TYPE_CHECKING:
    from pathlib import Path

SAMPLE_BYTES: Final = 1 << 16
"""How much of a file is read to find its dialect: the header and the first rows."""
DELIMITERS: Final = (",", ";", "\t", "|")
"""Separators recognised, in order of preference when a sample is ambiguous."""
SAMPLE_ROWS: Final = 50

_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class CsvDialect:
    """A CSV file's separator and encoding (``utf-8-sig``, ``utf-8``, ``utf-16``, ``cp1252``)."""

    delimiter: str
    encoding: str

    def decode(self, data: bytes) -> str:
        """The whole file's text; Windows-1252's five unassigned bytes read as Latin-1 ones."""
        errors = "strict" if self.encoding != "cp1252" else "replace"
        text = data.decode(self.encoding, errors=errors)
        return text.removeprefix("\ufeff")

    def decode_start(self, data: bytes) -> str:
        """The text of a file's first bytes; a character cut at the end is dropped."""
        return _decode_sample(data, self.encoding)


def sniff_csv(path: Path, what: str = "file") -> CsvDialect:
    """The dialect of the CSV file at ``path``, from its first :data:`SAMPLE_BYTES` bytes.

    Only a regular file is opened (a FIFO or a device would hang or never end); a missing,
    unreadable or empty file is a :class:`DataError` naming it (``what`` it was meant to be:
    "predictions file", "feedback file").
    """
    if not path.is_file():
        what = "not found" if not path.exists() else "not a regular file"
        msg = f"{path}: {what}; expected a CSV file"
        raise DataError(msg)
    try:
        with path.open("rb") as stream:
            sample = read_sample(stream, compressed=is_gzip(path))
    except OSError as e:
        msg = f"{path}: cannot read the file ({os_reason(e)})"
        raise DataError(msg) from e
    except (EOFError, zlib.error):
        msg = f"{path}: not a readable gzip file (cut short or damaged)"
        raise DataError(msg) from None
    return sniff_bytes(sample, str(path), what)


def is_gzip(path: Path) -> bool:
    """Whether a CSV file is gzip-compressed (``extract.csv.gz``): read through :mod:`gzip`."""
    return path.name.lower().endswith(".gz")


def read_sample(stream: BinaryIO, *, compressed: bool = False) -> bytes:
    """The first :data:`SAMPLE_BYTES` bytes of a CSV stream, decompressed if ``compressed``.

    Raises ``OSError``, or ``EOFError``/``zlib.error`` for a damaged gzip stream.
    """
    if not compressed:
        return stream.read(SAMPLE_BYTES)
    with gzip.GzipFile(fileobj=stream, mode="rb") as unzipped:
        return unzipped.read(SAMPLE_BYTES)


def header_names(sample: bytes, dialect: CsvDialect) -> list[str] | None:
    """The names on a CSV sample's first line (quotes understood), or None if it is cut.

    ``None`` when the sample is a full :data:`SAMPLE_BYTES` without a line break: a header
    longer than that cannot be read from the sample.
    """
    text = _decode_sample(sample, dialect.encoding)
    if len(sample) >= SAMPLE_BYTES and "\n" not in text:
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=dialect.delimiter)
    return next(reader, [])


def sniff_bytes(sample: bytes, source: str = "<csv>", what: str = "file") -> CsvDialect:
    """The dialect of a CSV file from its first bytes (possibly cut mid-line or mid-character)."""
    if not sample.strip():
        msg = f"{source}: the {what} is empty; expected a header line and rows"
        raise DataError(msg)
    encoding = _encoding(sample)
    text = _decode_sample(sample, encoding)
    return CsvDialect(delimiter=_delimiter(text), encoding=encoding)


def _encoding(sample: bytes) -> str:
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    try:
        _decode_sample(sample, "utf-8")
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def _decode_sample(sample: bytes, encoding: str) -> str:
    """Decode a sample; a multi-byte character cut at the end of the sample is dropped."""
    decoder = codecs.getincrementaldecoder(encoding)(
        errors="replace" if encoding == "cp1252" else "strict"
    )
    return decoder.decode(sample, final=False).removeprefix("\ufeff")


def _delimiter(text: str) -> str:
    """The separator that splits the sample's lines into the same number (> 1) of fields.

    Each candidate parses the first lines with the csv module (so a separator inside quotes
    does not count); the one with consistent rows and the most columns wins, a tie going to the
    order of :data:`DELIMITERS`. A one-column file reads as comma-separated.
    """
    lines = text.splitlines()
    if len(text) >= SAMPLE_BYTES // 2 and len(lines) > 1:
        lines = lines[:-1]  # the last line of a full sample may be cut
    lines = [line for line in lines[:SAMPLE_ROWS] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        widths = [
            len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delimiter)
        ]
        if not widths or widths[0] < 2:
            continue
        consistent = sum(1 for width in widths if width == widths[0])
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best
