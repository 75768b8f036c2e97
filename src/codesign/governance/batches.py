"""Reading an extract in bounded batches: a CSV or Parquet file of any size, one pass.

The gate never holds a whole file: :class:`FileReader` yields pandas frames of at most
``batch_rows`` rows (and about :data:`BATCH_BYTES` of text), computing the file's SHA-256 on the
bytes as they are read, so memory stays bounded whatever the file's size.

A CSV is read by pyarrow's streaming reader in the dialect :func:`codesign.csvfile.sniff_bytes`
finds (the one every codesign command uses), every column as text. Text, undeclared and scanned
columns stay text (a phone number keeps its leading zero); a declared integer, number or boolean
column is converted batch by batch exactly as pandas' parser converts a whole column (integers,
then floats, then ``true``/``false``, else text; pandas' missing-value words are missing). A
column's kind is a property of the whole file, so the first batch's kinds are a guess that later
batches confirm: when one does not (a text value in a column of numbers three million rows in),
the rest of the file is scanned for kinds and :class:`Reread` asks the caller to start again
with the kinds now known. Likewise a file that reads as UTF-8 in its first 64 KiB but holds a
Windows-1252 byte later is read again as Windows-1252, as it was when the whole file was read.

A Parquet file is read row group by row group (``iter_batches``), its SHA-256 in a pass of its
own (Parquet is not read front to back).

Errors name the file and, for a CSV, the line (counting records from the header, line 1); they
never quote the file's content, which could be a patient's data.
"""

from __future__ import annotations

import codecs
import dataclasses
import hashlib
import io
import logging
import stat
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, BinaryIO, Final

from codesign.charter.model import ColumnType, PhiMode
from codesign.csvfile import (
    SAMPLE_BYTES,
    header_names,
    is_gzip,
    read_sample,
    sniff_bytes,
)
from codesign.exceptions import CodesignError, GovernanceError
from codesign.fileio import open_user_file, sha256_file
from codesign.governance.columns import position_name, shown_names
from codesign.i18n import _
from codesign.system import os_reason

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path
    from types import TracebackType

    import pandas as pd
    import pyarrow as pa

    from codesign.charter.model import DataContract
    from codesign.csvfile import CsvDialect

logger = logging.getLogger(__name__)

DEFAULT_BATCH_ROWS: Final = 600_000
"""Rows per batch the gate validates: large enough that the fixed cost per batch is small,
small enough that one batch in memory stays well under the memory goal."""
BATCH_BYTES: Final = 144 << 20
"""A batch also ends when its text reaches this size (rows with long notes). Only the last
batch runs through Great Expectations (about a second whatever its size); the others are
counted directly (:func:`codesign.governance.conditions.batch_counts`). One batch is held at a time
(the reader looks a block ahead for the last one): `codesign check` peaks at 1.27-1.29 GB on a
4M-row, 1.2 GB extract with 144 MB batches (1.00-1.03 GB with 96 MB, 1.59 GB with 192 MB),
under the 1.5 GB goal."""
BLOCK_BYTES: Final = 1 << 20
"""What pyarrow parses at a time; it reads a few dozen blocks ahead."""
_READ_BYTES: Final = 1 << 20

CSV_SUFFIXES: Final = (".csv", ".tsv", ".txt")
PARQUET_SUFFIXES: Final = (".parquet", ".pq")

NA_VALUES: Final = (
    "",
    "#N/A",
    "#N/A N/A",
    "#NA",
    "-1.#IND",
    "-1.#QNAN",
    "-NaN",
    "-nan",
    "1.#IND",
    "1.#QNAN",
    "<NA>",
    "N/A",
    "NA",
    "NULL",
    "NaN",
    "None",
    "n/a",
    "nan",
    "null",
)
"""The words pandas reads as missing in any column (``pandas._libs.parsers.STR_NA_VALUES``)."""

_INTEGER: Final = r"^[+-]?[0-9]+$"
_FLOAT: Final = (
    r"^[+-]?(?:[0-9]+[.]?[0-9]*|[.][0-9]+)(?:[eE][+-]?[0-9]+)?$|^[+-]?(?i:inf|infinity)$"
)
_BOOLEAN: Final = r"^(?i:true|false)$"
_SPACES: Final = " \t"


class ColumnKind(StrEnum):
    """How a column is stored, which decides which checks apply to it."""

    NUMERIC = "numeric"
    BOOLEAN = "boolean"
    TEMPORAL = "temporal"
    TEXT = "text"


class Parsed(StrEnum):
    """What the values of a converted CSV column were, in one batch or in the whole file."""

    EMPTY = "empty"
    """Every value missing (pandas: float NaN)."""
    INTEGER = "integer"
    FLOAT = "float"
    """Numbers, some with a fraction or some missing."""
    BOOLEAN = "boolean"
    """``true``/``false`` in any case, none missing."""
    BOOLEAN_OR_MISSING = "boolean or missing"
    """``true``/``false`` with missing values: pandas keeps Python booleans, a text column."""
    TEXT = "text"

    @property
    def kind(self) -> ColumnKind:
        if self in (Parsed.EMPTY, Parsed.INTEGER, Parsed.FLOAT):
            return ColumnKind.NUMERIC
        return ColumnKind.BOOLEAN if self is Parsed.BOOLEAN else ColumnKind.TEXT

    @property
    def form(self) -> str:
        """How the column's values are handed to the checks: numbers, booleans, or text."""
        return "booleans or missing" if self is Parsed.BOOLEAN_OR_MISSING else self.kind.value


def combined(first: Parsed, second: Parsed) -> Parsed:
    """What pandas makes of a column whose two parts parse as ``first`` and ``second``."""
    if first is second:
        return first
    pair = {first, second}
    if Parsed.TEXT in pair:
        return Parsed.TEXT
    if Parsed.EMPTY in pair:
        other = (pair - {Parsed.EMPTY}).pop()
        if other is Parsed.INTEGER:
            return Parsed.FLOAT
        return Parsed.BOOLEAN_OR_MISSING if other is Parsed.BOOLEAN else other
    if pair <= {Parsed.INTEGER, Parsed.FLOAT}:
        return Parsed.FLOAT
    if pair <= {Parsed.BOOLEAN, Parsed.BOOLEAN_OR_MISSING}:
        return Parsed.BOOLEAN_OR_MISSING
    return Parsed.TEXT


@dataclass(frozen=True)
class ReadProgress:
    """How far a read has got: counts and sizes only, never a value or a column name."""

    rows: int
    bytes_read: int
    total_bytes: int
    elapsed_s: float


@dataclass(frozen=True)
class ReadHints:
    """What an earlier, abandoned read learnt: the whole file's column kinds, its encoding."""

    parsed: dict[int, Parsed] = field(default_factory=dict)
    """By column position: how each converted column parses over the whole file."""
    encoding: str | None = None


class Reread(Exception):  # noqa: N818 - a request, not an error
    """The batches already handed out assumed what the file contradicted: read it again."""

    def __init__(self, hints: ReadHints, reason: str) -> None:
        super().__init__(reason)
        self.hints = hints


@dataclass(frozen=True)
class _Layout:
    """A CSV's columns: names as written, as shown, and which ones are converted."""

    names: list[str]
    shown: list[str]
    converted: frozenset[int]


class FileReader:
    """One read of an extract, batch by batch (see the module's documentation).

    Use as a context manager. :attr:`columns` (each column's kind, under its shown name) is
    known once the first batch is read; :attr:`rows` and :attr:`data_sha256` once every batch
    has been.
    """

    def __init__(
        self,
        path: Path,
        contract: DataContract,
        *,
        batch_rows: int | None = DEFAULT_BATCH_ROWS,
        progress: Callable[[ReadProgress], None] | None = None,
        hints: ReadHints | None = None,
    ) -> None:
        if batch_rows is not None and batch_rows < 1:
            msg = f"batch_rows must be at least 1, got {batch_rows}"
            raise ValueError(msg)
        self.path = path
        self.contract = contract
        self.batch_rows = batch_rows
        self.progress = progress
        self.hints = hints or ReadHints()
        self.rows = 0
        self._parsed_rows = 0
        self._digest: str | None = None
        self._columns: dict[str, ColumnKind] | None = None
        self._first: pd.DataFrame | None = None
        self._batches: Iterator[pd.DataFrame] | None = None
        self._closers: list[Any] = []
        self._started = time.monotonic()
        self._size = 0
        self.last = False
        """Whether the batch last handed out is the file's last (known before it is handed out:
        the reader looks one block ahead rather than holding the next batch)."""

    # --- the public face ---------------------------------------------------------------------

    def __enter__(self) -> FileReader:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        for closer in reversed(self._closers):
            closer.close()
        self._closers.clear()

    @property
    def columns(self) -> dict[str, ColumnKind]:
        """Each column's kind under its shown name, in the file's order (reads the first batch)."""
        if self._columns is None:
            self._start()
        if self._columns is None:  # pragma: no cover - _start sets them or raises
            msg = f"{self.path}: no columns read"
            raise GovernanceError(msg)
        return self._columns

    @property
    def data_sha256(self) -> str:
        """The SHA-256 of the file's bytes; known once every batch has been read."""
        if self._digest is None:
            msg = f"{self.path}: the file's hash is known only once it has been read through"
            raise RuntimeError(msg)
        return self._digest

    def __iter__(self) -> Iterator[pd.DataFrame]:
        if self._batches is None:
            self._start()
        if self._first is not None:
            first, self._first = self._first, None
            yield first
        yield from self._batches or ()

    # --- opening -----------------------------------------------------------------------------

    def _start(self) -> None:
        path = self.path
        self._size = _check_file(path)
        batches = self._parquet() if _is_parquet(path) else self._csv()
        first = next(batches, None)
        if first is None or len(first.columns) == 0 or len(first) == 0:
            msg = _("{path}: no rows to check (the extract has a header at most)", path=path)
            raise GovernanceError(msg)
        self._first = first
        self._batches = batches

    def _open(self) -> BinaryIO:
        try:
            stream = open_user_file(self.path, what="CSV or Parquet extract")
        except FileNotFoundError:
            msg = _("{path}: no such file", path=self.path)
            raise GovernanceError(msg) from None
        except CodesignError as e:
            raise GovernanceError(str(e)) from None
        self._closers.append(stream)
        return stream

    def _report(self, bytes_read: int) -> None:
        if self.progress is not None:
            self.progress(
                ReadProgress(
                    rows=self.rows,
                    bytes_read=bytes_read,
                    total_bytes=self._size,
                    elapsed_s=time.monotonic() - self._started,
                )
            )

    # --- Parquet -----------------------------------------------------------------------------

    def _parquet(self) -> Iterator[pd.DataFrame]:
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = self.path
        try:
            parquet = pq.ParquetFile(self._open())
            names = [str(n) for n in parquet.schema_arrow.names]
        except (pa.ArrowException, OSError, ValueError) as e:
            msg = f"{path}: not a readable Parquet file ({type(e).__name__})"
            raise GovernanceError(msg) from None
        _refuse_repeated(path, names)
        shown = shown_names(names, self.contract)
        self._digest = None
        size = self.batch_rows or max(parquet.metadata.num_rows, 1)
        done = 0
        try:
            for group in parquet.iter_batches(batch_size=size):
                table = pa.Table.from_batches([group])
                del group
                frame = _numpy_numbers(table.to_pandas())
                del table
                frame.columns = shown
                if self._columns is None:
                    self._columns = {str(c): _pandas_kind(frame[c]) for c in frame.columns}
                self.rows += len(frame)
                done += len(frame)
                self._report(round(self._size * done / max(parquet.metadata.num_rows, 1)))
                self.last = done >= parquet.metadata.num_rows
                yield frame
                del frame
        except (pa.ArrowException, OSError, ValueError) as e:
            msg = f"{path}: not a readable Parquet file ({type(e).__name__})"
            raise GovernanceError(msg) from None
        if self._columns is None:
            self._columns = dict.fromkeys(shown, ColumnKind.TEXT)
        self._digest = sha256_file(path)

    # --- CSV ---------------------------------------------------------------------------------

    def _csv(self) -> Iterator[pd.DataFrame]:
        path = self.path
        raw = self._open()
        hashing = _HashingReader(raw)
        stream: BinaryIO = io.BufferedReader(hashing, _READ_BYTES)
        compressed = is_gzip(path)
        if compressed:
            import gzip

            stream = gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[assignment]
        try:
            with open_user_file(path) as head:
                sample = read_sample(head, compressed=compressed)
        except (OSError, EOFError, CodesignError, ValueError) as e:
            raise _unreadable(path, e) from None
        dialect = self._dialect(sample)
        layout = self._layout(sample, dialect)
        yield from self._csv_batches(stream, hashing, dialect, layout)

    def _dialect(self, sample: bytes) -> CsvDialect:
        if not sample.strip():
            msg = f"{self.path}: the file holds no CSV header nor rows"
            raise GovernanceError(msg)
        try:
            dialect = sniff_bytes(sample, str(self.path), "extract")
        except CodesignError as e:
            raise GovernanceError(str(e)) from None
        if self.hints.encoding is not None:
            dialect = dataclasses.replace(dialect, encoding=self.hints.encoding)
        if dialect.encoding == "cp1252":
            logger.warning("%s: read as Windows-1252 text (not UTF-8)", self.path)
        return dialect

    def _layout(self, sample: bytes, dialect: CsvDialect) -> _Layout:
        names = header_names(sample, dialect)
        if names is None:
            msg = f"{self.path}: the header line is longer than {SAMPLE_BYTES // 1024} KiB"
            raise GovernanceError(msg)
        if not names:
            msg = f"{self.path}: the file holds no CSV header nor rows"
            raise GovernanceError(msg)
        _refuse_repeated(self.path, names)
        converted = frozenset(
            i for i, name in enumerate(names) if not _read_as_text(name, self.contract)
        )
        return _Layout(names=names, shown=shown_names(names, self.contract), converted=converted)

    def _csv_batches(
        self, stream: BinaryIO, hashing: _HashingReader, dialect: CsvDialect, layout: _Layout
    ) -> Iterator[pd.DataFrame]:
        import pyarrow as pa

        if dialect.encoding not in ("utf-8", "utf-8-sig"):
            stream = _Utf8Reader(stream, dialect.encoding)  # type: ignore[assignment]
        quotes = _QuoteCounter(stream)
        stream = io.BufferedReader(quotes, _READ_BYTES)
        invalid: list[int | None] = []
        reader = self._arrow_reader(stream, dialect, layout, invalid)
        self._closers.append(reader)
        parsed: dict[int, Parsed] = dict(self.hints.parsed)
        pending: list[pa.RecordBatch] = []
        pending_bytes = 0  # each block's bytes counted once, when it comes (nbytes is not free)
        done = False
        while not done:
            chunk = self._next_chunk(reader, dialect, invalid)
            if chunk is None:
                break
            pending.append(chunk)
            pending_bytes += chunk.nbytes
            self._report(hashing.bytes_read)
            while pending and (
                (
                    self.batch_rows is not None
                    and sum(b.num_rows for b in pending) >= self.batch_rows
                )
                or pending_bytes >= BATCH_BYTES
            ):
                table = pa.Table.from_batches(pending)
                cut = min(self.batch_rows or table.num_rows, table.num_rows)
                batch, rest = table.slice(0, cut), table.slice(cut)
                pending = [b for b in rest.to_batches() if b.num_rows]
                pending_bytes = sum(b.nbytes for b in pending)
                if not pending:  # a block ahead tells whether this batch is the last
                    ahead = self._next_chunk(reader, dialect, invalid)
                    if ahead is None:
                        done = True
                    else:
                        pending.append(ahead)
                        pending_bytes += ahead.nbytes
                        self._report(hashing.bytes_read)
                frame = self._frame(
                    batch, layout, parsed, pending=pending, reader=reader, invalid=invalid
                )
                del batch, table, rest
                self.last = done
                yield frame
                del frame
        if pending:
            table = pa.Table.from_batches(pending)
            pending = []
            frame = self._frame(table, layout, parsed, pending=[], reader=reader, invalid=invalid)
            del table
            self.last = True
            yield frame
            del frame
        self._finish(quotes, hashing, dialect, layout)

    def _finish(
        self, quotes: _QuoteCounter, hashing: _HashingReader, dialect: CsvDialect, layout: _Layout
    ) -> None:
        """Once every record is read: the quotes are checked, the hash completed."""
        if quotes.count % 2:  # odd: a quote left open, or a bare quote inside a value
            self._refuse_unclosed_quote(dialect)
        while hashing.read(_READ_BYTES):  # bytes after the last record count in the hash too
            pass
        self._digest = hashing.digest.hexdigest()
        self._report(hashing.bytes_read)
        if self._columns is None:  # a header and no rows
            self._columns = dict.fromkeys(layout.shown, ColumnKind.TEXT)

    def _arrow_reader(
        self, stream: BinaryIO, dialect: CsvDialect, layout: _Layout, invalid: list[int | None]
    ) -> Any:
        """pyarrow's streaming CSV reader, every column as text; bad rows noted in ``invalid``."""
        import pyarrow as pa
        import pyarrow.csv as pcsv

        ids = [f"c{i}" for i in range(len(layout.names))]

        def on_invalid(row: Any) -> str:
            invalid.append(row.number)
            return "skip"

        try:
            reader = pcsv.open_csv(
                stream,
                read_options=pcsv.ReadOptions(
                    use_threads=False, block_size=BLOCK_BYTES, column_names=ids, skip_rows=1
                ),
                parse_options=pcsv.ParseOptions(
                    delimiter=dialect.delimiter,
                    newlines_in_values=True,
                    invalid_row_handler=on_invalid,
                ),
                convert_options=pcsv.ConvertOptions(
                    column_types=dict.fromkeys(ids, pa.string()),
                    null_values=list(NA_VALUES),
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
        except (pa.ArrowException, OSError, EOFError, ValueError) as e:
            raise self._csv_error(e, dialect, invalid) from None
        return reader

    def _next_chunk(
        self, reader: Any, dialect: CsvDialect | None, invalid: list[int | None]
    ) -> pa.RecordBatch | None:
        import pyarrow as pa

        try:
            chunk = reader.read_next_batch()
        except StopIteration:
            chunk = None
        except (pa.ArrowException, OSError, EOFError, ValueError) as e:
            raise self._csv_error(e, dialect, invalid) from None
        self._check_rows(invalid)
        if chunk is not None:
            self._parsed_rows += chunk.num_rows
        return chunk

    def _frame(
        self,
        table: pa.Table,
        layout: _Layout,
        parsed: dict[int, Parsed],
        *,
        pending: list[pa.RecordBatch],
        reader: Any,
        invalid: list[int | None],
    ) -> pd.DataFrame:
        import pandas as pd

        # one array per converted column: Arrow compiles a pattern afresh for every chunk
        numbers = {i: table.column(i).combine_chunks() for i in layout.converted}
        here = {i: parse_column(numbers[i]) for i in layout.converted}
        whole = {i: p if i not in parsed else combined(parsed[i], p) for i, p in here.items()}
        if any(i in parsed and whole[i].form != parsed[i].form for i in here):
            if self.hints.parsed:  # pragma: no cover - the file changed while it was read
                msg = f"{self.path}: the file changed while it was read; check it again"
                raise GovernanceError(msg)
            parsed.update(whole)
            self._scan_rest(pending, reader, layout, parsed, invalid)
        parsed.update(whole)
        columns: dict[str, Any] = {}
        for i, shown in enumerate(layout.shown):
            if i in layout.converted:
                columns[shown] = converted(numbers.pop(i), here[i], whole[i])
            else:
                columns[shown] = table.column(i).to_pandas()
        if self._columns is None:
            self._columns = {
                shown: parsed[i].kind if i in layout.converted else ColumnKind.TEXT
                for i, shown in enumerate(layout.shown)
            }
        self.rows += table.num_rows
        return pd.DataFrame(columns)

    def _scan_rest(
        self,
        pending: list[pa.RecordBatch],
        reader: Any,
        layout: _Layout,
        parsed: dict[int, Parsed],
        invalid: list[int | None],
    ) -> None:
        """Read the rest of the file for its kinds only, then ask for a new read."""
        logger.info(
            "%s: a column's kind changed after %d rows; reading again", self.path, self.rows
        )
        chunk: pa.RecordBatch | None
        for chunk in pending:
            for i in layout.converted:
                parsed[i] = combined(parsed[i], parse_column(chunk.column(i)))
        while (chunk := self._next_chunk(reader, None, invalid)) is not None:
            for i in layout.converted:
                parsed[i] = combined(parsed[i], parse_column(chunk.column(i)))
        raise Reread(
            dataclasses.replace(self.hints, parsed=dict(parsed)),
            "a column's kind differs from what its first rows showed",
        )

    def _refuse_unclosed_quote(self, dialect: CsvDialect) -> None:
        """Refuse a file whose last quoted value runs to its end (pyarrow takes it as a value).

        The csv module, strict, tells a quote never closed from a bare quote inside a value
        (``5'10"``, accepted); this pass reads the file once more, only when its count of
        quote characters is odd.
        """
        import csv

        with open_user_file(self.path) as raw:
            binary: BinaryIO = raw
            if is_gzip(self.path):
                import gzip

                binary = gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[assignment]
            errors = "replace" if dialect.encoding == "cp1252" else "strict"
            text = io.TextIOWrapper(binary, encoding=dialect.encoding, errors=errors, newline="")
            reader = csv.reader(text, delimiter=dialect.delimiter, strict=True)
            start = 1
            try:
                for _ in reader:
                    start = reader.line_num + 1
            except csv.Error as e:
                if "unexpected end of data" not in str(e):
                    return
                msg = (
                    f"{self.path}: not a readable CSV file (at line {start}): a quoted value "
                    "starting there is never closed; was the file cut short?"
                )
                raise GovernanceError(msg) from None

    def _check_rows(self, invalid: list[int | None]) -> None:
        if invalid:
            known = [n for n in invalid if n is not None]
            where = f" (at line {min(known)})" if known else ""
            msg = (
                f"{self.path}: not a readable CSV file{where}: a row has more or fewer fields "
                "than the header; was the file cut short or edited by hand?"
            )
            raise GovernanceError(msg)

    def _csv_error(
        self, error: BaseException, dialect: CsvDialect | None, invalid: list[int | None]
    ) -> BaseException:
        self._check_rows(invalid)
        text = str(error)
        if (
            dialect is not None
            and dialect.encoding in ("utf-8", "utf-8-sig")
            and "UTF8" in text
            and self.hints.encoding is None
        ):
            logger.info("%s is not UTF-8 throughout; reading it as Windows-1252", self.path)
            return Reread(dataclasses.replace(self.hints, encoding="cp1252"), "not UTF-8")
        if isinstance(error, UnicodeDecodeError) and dialect is not None:
            return GovernanceError(f"{self.path}: not {dialect.encoding} text throughout")
        after = self._parsed_rows + 1  # the header is line 1
        return GovernanceError(
            f"{self.path}: not a readable CSV file after line {after} ({type(error).__name__}); "
            "check its quotes and separators"
        )


# --- conversions ---------------------------------------------------------------------------------


def parse_column(column: pa.ChunkedArray | pa.Array) -> Parsed:
    """How pandas' parser would read this text column: integers, floats, booleans or text."""
    import pyarrow.compute as pc

    valid = column.null_count < len(column)
    if not valid:
        return Parsed.EMPTY
    trimmed = pc.utf8_trim(column, _SPACES)
    # with a missing value, integers read as floats: one pass for floats decides (every
    # integer matches the float pattern too)
    if (
        column.null_count == 0
        and _all(pc.match_substring_regex(trimmed, _INTEGER))
        and _fits_int64(trimmed)
    ):
        return Parsed.INTEGER
    if _all(pc.match_substring_regex(trimmed, _FLOAT)):
        return Parsed.FLOAT
    if _all(pc.match_substring_regex(column, _BOOLEAN)):
        return Parsed.BOOLEAN if column.null_count == 0 else Parsed.BOOLEAN_OR_MISSING
    return Parsed.TEXT


def converted(column: pa.ChunkedArray | pa.Array, here: Parsed, whole: Parsed) -> Any:
    """The values of one batch's column as pandas holds them when the file parses as ``whole``."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if whole.kind is ColumnKind.NUMERIC:
        if here is Parsed.EMPTY:
            return np.full(len(column), np.nan)
        trimmed = pc.utf8_trim(column, _SPACES)
        if here is Parsed.INTEGER:
            integers = pc.cast(_without_plus_sign(trimmed), pa.int64())
            return integers.to_numpy(zero_copy_only=False)
        return pc.cast(trimmed, pa.float64()).to_numpy(zero_copy_only=False)
    if whole is Parsed.BOOLEAN:
        return pc.equal(pc.utf8_lower(column), "true").to_numpy(zero_copy_only=False)
    if whole is Parsed.BOOLEAN_OR_MISSING and here in (
        Parsed.BOOLEAN,
        Parsed.BOOLEAN_OR_MISSING,
        Parsed.EMPTY,
    ):
        truth = pc.equal(pc.utf8_lower(column), "true").to_pylist()
        return np.array([np.nan if v is None else v for v in truth], dtype=object)
    return column.to_pandas()


def _all(mask: Any) -> bool:
    """Whether every present value matched (missing values count as matching)."""
    import pyarrow.compute as pc

    return bool(pc.all(mask, skip_nulls=True).as_py() is not False)


def _fits_int64(trimmed: Any) -> bool:
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        pc.cast(_without_plus_sign(trimmed), pa.int64())
    except pa.ArrowInvalid:
        return False  # pandas reads such a column as unsigned or as text: left as floats
    return True


def _without_plus_sign(trimmed: Any) -> Any:
    """Integers without their leading ``+`` (pandas reads ``+5``, pyarrow's cast does not).

    Looking for a ``+`` costs a tenth of rewriting every value: done only when there is one.
    """
    import pyarrow.compute as pc

    if pc.any(pc.starts_with(trimmed, "+")).as_py() is True:
        return pc.replace_substring_regex(trimmed, r"^\+", "")
    return trimmed


def _read_as_text(name: str, contract: DataContract) -> bool:
    """Columns read as text: text, categories, scanned and undeclared ones."""
    declared = contract.column(name)
    return (
        declared is None
        or declared.type in (ColumnType.TEXT, ColumnType.CATEGORY)
        or declared.phi_mode is not PhiMode.ALLOWED
    )


def _numpy_numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer and float columns as numpy ``int64``/``float64`` (NaN when missing).

    Vectorised checks (Great Expectations' included) take their fast path on numpy dtypes and
    fall back to a Python call per value on pandas' nullable ones.
    """
    from pandas.api import types
    from pandas.api.extensions import ExtensionDtype

    converted_columns = {}
    for name in frame.columns:
        dtype = frame[name].dtype
        numeric = types.is_integer_dtype(dtype) or types.is_float_dtype(dtype)
        if isinstance(dtype, ExtensionDtype) and numeric:
            column = frame[name]
            if types.is_integer_dtype(dtype) and not column.hasnans:
                converted_columns[name] = column.to_numpy(dtype="int64")
            else:
                converted_columns[name] = column.to_numpy(dtype="float64", na_value=float("nan"))
    return frame.assign(**converted_columns) if converted_columns else frame


def _pandas_kind(column: pd.Series) -> ColumnKind:
    from pandas.api import types

    dtype = column.dtype
    if types.is_bool_dtype(dtype):
        return ColumnKind.BOOLEAN
    if types.is_numeric_dtype(dtype):
        return ColumnKind.NUMERIC
    if types.is_datetime64_any_dtype(dtype):
        return ColumnKind.TEMPORAL
    return ColumnKind.TEXT


# --- files ---------------------------------------------------------------------------------------


def _check_file(path: Path) -> int:
    """The size of the regular file at ``path``; a clear error for anything else."""
    try:
        info = path.stat()
    except FileNotFoundError:
        msg = _("{path}: no such file", path=path)
        raise GovernanceError(msg) from None
    except OSError as e:  # a symbolic link loop, a permission
        msg = _("{path}: cannot read the file ({reason})", path=path, reason=os_reason(e))
        raise GovernanceError(msg) from None
    if not stat.S_ISREG(info.st_mode):
        what = "a folder" if stat.S_ISDIR(info.st_mode) else _special(info.st_mode)
        msg = f"{path}: not a file but {what} (expected a CSV or Parquet file)"
        raise GovernanceError(msg)
    if info.st_size == 0:
        msg = _(
            "{path}: the file is empty (expected a CSV or Parquet extract with rows)", path=path
        )
        raise GovernanceError(msg)
    return info.st_size


def _special(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def _unreadable(path: Path, error: BaseException) -> GovernanceError:
    if isinstance(error, CodesignError):
        return GovernanceError(str(error))
    if isinstance(error, OSError) and not isinstance(error, EOFError) and error.errno:
        return GovernanceError(f"{path}: cannot read the file ({os_reason(error)})")
    return GovernanceError(f"{path}: not a readable gzip file (cut short or damaged)")


def _is_parquet(path: Path) -> bool:
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return True
    if path.suffix.lower() in CSV_SUFFIXES or path.name.lower().endswith(".csv.gz"):
        return False
    with open_user_file(path) as stream:
        if stream.read(4) == b"PAR1":
            return True
    msg = _(
        "{path}: unsupported format {suffix} (expected .csv or .parquet)",
        path=path,
        suffix=path.suffix or _("(no extension)"),
    )
    raise GovernanceError(msg)


def _refuse_repeated(path: Path, names: list[str]) -> None:
    """pandas would silently rename a repeated column to ``name.1``: refuse it instead."""
    repeated = [i for i, name in enumerate(names) if name in names[:i]]
    if repeated:
        which = ", ".join(position_name(i) for i in repeated)  # names could be data
        msg = f"{path}: the name of {which} repeats an earlier column's name"
        raise GovernanceError(msg)


class _HashingReader(io.RawIOBase):
    """A raw byte stream that hashes (SHA-256) and counts every byte read through it."""

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self.raw = raw
        self.digest = hashlib.sha256()
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        if count:
            self.digest.update(memoryview(buffer)[:count])
            self.bytes_read += count
        return int(count or 0)


class _QuoteCounter(io.RawIOBase):
    """Counts the quote characters of a UTF-8 stream: an odd count leaves a value unclosed.

    (A quote inside a quoted value is written twice, so a well-formed file has an even count.)
    """

    def __init__(self, raw: BinaryIO) -> None:
        super().__init__()
        self.raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        count = len(data)
        buffer[:count] = data
        self.count += data.count(b'"')
        return count


class _Utf8Reader(io.RawIOBase):
    """A byte stream in another encoding (UTF-16, Windows-1252), read as UTF-8 bytes."""

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        super().__init__()
        self.raw = raw
        errors = "replace" if encoding == "cp1252" else "strict"
        self.decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
        self.pending = memoryview(b"")
        self.first = True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            chunk = self.raw.read(_READ_BYTES)
            text = self.decoder.decode(chunk, final=not chunk)
            if self.first and text:
                text, self.first = text.removeprefix("\ufeff"), False
            self.pending = memoryview(text.encode("utf-8"))
            if not chunk:
                break
        count = min(len(buffer), len(self.pending))
        buffer[:count] = self.pending[:count]
        self.pending = self.pending[count:]
        return count
