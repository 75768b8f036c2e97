"""Where the data comes from: a CSV or Parquet file, or a PostgreSQL table.

:func:`parse_source` turns the ``DATA`` argument of ``codesign check`` into a :class:`FileSource`
or a :class:`TableSource`; :meth:`open` reads what the gate needs to plan its checks (row count,
columns and their kinds) and the key its result is kept under:

- a file: the SHA-256 of its bytes (what the tracking layer hashes too);
- a table: the SHA-256 of its credential-free URL, its row count and an order-independent
  fingerprint of its rows (the sum of 60-bit prefixes of each row's MD5, computed in the
  database). The same rows give the same key whatever their order; a changed, added or removed
  row changes it. Only the count and the fingerprint leave the database.

Files are read in bounded batches (:mod:`.batches`), so an extract of any size fits in memory;
text, undeclared and PHI-scanned columns of a CSV are read as text, so a phone number keeps its
leading zero. Tables are never extracted: only their schema, count
and fingerprint are read here, and Great Expectations' SQL engine runs the checks in the database.
Credentials in a table URL never appear in a message: :attr:`TableSource.display` omits them.
"""

from __future__ import annotations

import hashlib
import logging
import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from codesign.exceptions import GovernanceError
from codesign.governance.batches import (
    CSV_SUFFIXES,
    DEFAULT_BATCH_ROWS,
    PARQUET_SUFFIXES,
    ColumnKind,
    FileReader,
    Reread,
)
from codesign.governance.columns import shown_names

if TYPE_CHECKING:
    from collections.abc import Callable

    import pandas as pd

    from codesign.charter.model import DataContract
    from codesign.governance.batches import ReadHints, ReadProgress

logger = logging.getLogger(__name__)

__all__ = [
    "CSV_SUFFIXES",
    "PARQUET_SUFFIXES",
    "Batch",
    "ColumnKind",
    "FileSource",
    "Source",
    "TableSource",
    "parse_source",
]

TABLE_SCHEMES: Final = ("postgresql", "postgres", "postgresql+psycopg2")
_IDENTIFIER: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]*$")
_CONNECT_TIMEOUT_S: Final = 10
_FINGERPRINT_SQL: Final = (
    "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)"
    "::text FROM {table} AS t"
)
"""Row count and order-independent fingerprint; ``{table}`` is a validated, quoted name."""


@dataclass(frozen=True)
class Batch:
    """What the gate validates: counted, described, keyed; a frame for files only."""

    rows: int
    columns: dict[str, ColumnKind]
    """Each column's kind, under the name the gate shows (see :mod:`.columns`)."""
    data_sha256: str
    frame: pd.DataFrame | None = field(default=None, repr=False)
    stored_names: dict[str, str] = field(default_factory=dict, repr=False)
    """A table's columns shown under another name than their own: shown name to stored name
    (never written out; the checks select them under the shown name)."""


@dataclass(frozen=True)
class FileSource:
    """A CSV or Parquet extract on disk."""

    path: Path

    @property
    def display(self) -> str:
        return self.path.name

    @property
    def asset_name(self) -> str:
        return self.path.name

    def reader(
        self,
        contract: DataContract,
        *,
        batch_rows: int | None = DEFAULT_BATCH_ROWS,
        progress: Callable[[ReadProgress], None] | None = None,
        hints: ReadHints | None = None,
    ) -> FileReader:
        """The file in batches of at most ``batch_rows`` rows (see :mod:`.batches`)."""
        return FileReader(
            self.path, contract, batch_rows=batch_rows, progress=progress, hints=hints
        )

    def open(self, contract: DataContract) -> Batch:
        """Read the whole file as one frame (small files, notebooks); the gate streams it.

        Raises :class:`GovernanceError` naming the file when it cannot be read.
        """
        import pandas as pd

        hints = None
        while True:
            try:
                with self.reader(contract, batch_rows=None, hints=hints) as reader:
                    frames = list(reader)
                    columns = reader.columns
            except Reread as again:
                hints = again.hints
                continue
            break
        frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
        return Batch(rows=reader.rows, columns=columns, data_sha256=reader.data_sha256, frame=frame)


@dataclass(frozen=True)
class TableSource:
    """A table in PostgreSQL, given as ``postgresql://user:pw@host:port/db?table=schema.name``."""

    connection_url: str = field(repr=False)
    """The URL to connect with (credentials included, ``table`` removed); never shown."""
    display: str
    """The URL without user, password or options, with the table: safe to print."""
    table: str
    schema: str | None = None

    @property
    def asset_name(self) -> str:
        return f"{self.schema}.{self.table}" if self.schema else self.table

    def open(self, contract: DataContract) -> Batch:
        """Inspect, count and fingerprint the table in the database (no row is read out)."""
        import sqlalchemy as sa

        engine = self.engine()
        try:
            with engine.connect() as connection:
                inspector = sa.inspect(connection)
                if not inspector.has_table(self.table, schema=self.schema):
                    msg = f"{self.display}: no table {self.asset_name} in this database"
                    raise GovernanceError(msg)
                described = inspector.get_columns(self.table, schema=self.schema)
                table = engine.dialect.identifier_preparer.format_table(
                    sa.table(self.table, schema=self.schema)
                )
                query = sa.text(_FINGERPRINT_SQL.format(table=table))
                rows, digest = connection.execute(query).one()
        except sa.exc.SQLAlchemyError as e:
            raise GovernanceError(self.describe_error(e)) from None
        finally:
            engine.dispose()
        if rows == 0:
            msg = f"{self.display}: table {self.asset_name} has no rows to check"
            raise GovernanceError(msg)
        key = hashlib.sha256(f"{self.display}\n{rows}\n{digest}".encode()).hexdigest()
        stored = [str(c["name"]) for c in described]
        shown = shown_names(stored, contract)
        return Batch(
            rows=int(rows),
            columns={s: _sql_kind(c["type"]) for s, c in zip(shown, described, strict=True)},
            data_sha256=key,
            stored_names={s: n for s, n in zip(shown, stored, strict=True) if s != n},
        )

    def select_shown(self, batch: Batch) -> str:
        """``SELECT`` of the table with each column under its shown name (for the checks)."""
        import sqlalchemy as sa

        stored = batch.stored_names
        table = sa.table(self.table, schema=self.schema)
        labelled: list[Any] = [
            sa.column(stored.get(name, name)).label(name) for name in batch.columns
        ]
        query: sa.Select[Any] = sa.select(*labelled).select_from(table)
        return str(query.compile(dialect=self.engine().dialect))

    def engine(self) -> Any:
        import sqlalchemy as sa

        return sa.create_engine(
            self.connection_url,
            connect_args={"connect_timeout": _CONNECT_TIMEOUT_S},
            poolclass=sa.pool.NullPool,
        )

    def describe_error(self, error: BaseException) -> str:
        """A database error as a message without credentials or SQL (which could hold values)."""
        import sqlalchemy as sa

        if isinstance(error, sa.exc.OperationalError | sa.exc.InterfaceError):
            reason = str(getattr(error, "orig", error)).strip().splitlines()
            first = reason[0] if reason else type(error).__name__
            return f"{self.display}: cannot connect to the database ({self.redact(first)})"
        if isinstance(error, sa.exc.ProgrammingError):
            return f"{self.display}: the database refused a query on {self.asset_name}"
        return f"{self.display}: database error ({type(error).__name__})"

    def redact(self, text: str) -> str:
        """``text`` with the URL's password and user name blanked out."""
        parts = urllib.parse.urlsplit(self.connection_url)
        for secret in (parts.password, parts.username):
            if secret:
                text = text.replace(secret, "***").replace(urllib.parse.unquote(secret), "***")
        return text


Source = FileSource | TableSource


def parse_source(data: str | Path) -> Source:
    """The source named by ``data``: a ``postgresql://`` table URL or a file path."""
    text = str(data)
    scheme = text.split("://", 1)[0].lower() if "://" in text else ""
    if not scheme:
        return FileSource(Path(text).expanduser())
    if scheme not in TABLE_SCHEMES:
        msg = (
            f"{_scheme_only(text)}: unsupported data URL (expected a CSV or Parquet file, or a "
            "postgresql://HOST/DB?table=NAME table URL)"
        )
        raise GovernanceError(msg)
    return _parse_table_url(text)


def _scheme_only(text: str) -> str:
    return text.split("://", 1)[0] + "://…"


def _parse_table_url(text: str) -> TableSource:
    parts = urllib.parse.urlsplit(text)
    query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
    tables = [v for k, v in query if k == "table"]
    host = parts.hostname or "localhost"
    port = f":{parts.port}" if parts.port else ""
    database = parts.path.lstrip("/")
    base = f"postgresql://{host}{port}/{database}"
    if not database:
        msg = f"{base}: the URL names no database (expected postgresql://HOST/DB?table=NAME)"
        raise GovernanceError(msg)
    if len(tables) != 1 or not tables[0].strip():
        msg = f"{base}: expected one ?table=NAME or ?table=SCHEMA.NAME in the URL"
        raise GovernanceError(msg)
    names = tables[0].strip().split(".")
    if len(names) > 2 or not all(_IDENTIFIER.match(n) for n in names):
        msg = (
            f"{base}: table {tables[0]!r} is not a plain table name "
            "(expected NAME or SCHEMA.NAME, letters, digits and _)"
        )
        raise GovernanceError(msg)
    schema, table = (names[0], names[1]) if len(names) == 2 else (None, names[0])
    rest = urllib.parse.urlencode([(k, v) for k, v in query if k != "table"])
    netloc = parts.netloc
    connection_url = urllib.parse.urlunsplit(("postgresql+psycopg2", netloc, parts.path, rest, ""))
    display = f"{base}?table={'.'.join(names)}"
    return TableSource(connection_url=connection_url, display=display, table=table, schema=schema)


# --- files ---------------------------------------------------------------------------------------


def _sql_kind(sql_type: Any) -> ColumnKind:
    import sqlalchemy as sa

    if isinstance(sql_type, sa.Boolean):
        return ColumnKind.BOOLEAN
    if isinstance(sql_type, sa.Integer | sa.Numeric | sa.Float):
        return ColumnKind.NUMERIC
    if isinstance(sql_type, sa.Date | sa.DateTime | sa.Time | sa.Interval):
        return ColumnKind.TEMPORAL
    return ColumnKind.TEXT
