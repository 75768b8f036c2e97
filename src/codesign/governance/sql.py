"""The gate's conditions in SQL (PostgreSQL), so a warehouse table is checked where it lives.

Each function returns a SQLAlchemy boolean expression on one column; Great Expectations' SQL
execution engine sums it over the table, so only counts come back from the database. The
patterns are those of :mod:`codesign.governance.phi`, applied with PostgreSQL's ``~`` (``~*``
ignoring case); the NIR check key is computed in SQL (Corsica's 2A/2B count as 19/18, as in
python-stdnum), on every NIR-shaped candidate of a value.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from codesign.governance import phi

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement


def _as_text(column: Any) -> ColumnElement[Any]:
    return sa.cast(column, sa.Text)


def _regex(text: ColumnElement[Any], pattern: str, *, ignore_case: bool) -> ColumnElement[bool]:
    operator = "~*" if ignore_case else "~"
    return text.op(operator, is_comparison=True)(sa.literal(pattern, sa.Text))


def valid_nir_exists(text: ColumnElement[Any]) -> ColumnElement[bool]:
    """Whether a text holds at least one NIR-shaped number whose check key is right."""
    matches = (
        sa.func.regexp_matches(text, sa.literal(phi.NIR_EXTRACT, sa.Text), sa.literal("g"))
        .table_valued(sa.column("g", postgresql.ARRAY(sa.Text)))
        .render_derived()
    )
    compact = sa.func.upper(sa.func.regexp_replace(matches.c.g[1], "[ .]", "", "g"))
    body = sa.func.replace(sa.func.replace(sa.func.substr(compact, 1, 13), "2A", "19"), "2B", "18")
    key = sa.cast(sa.func.substr(compact, 14, 2), sa.Integer)
    valid = (97 - sa.cast(body, sa.BigInteger) % 97) == key
    return sa.exists(sa.select(sa.literal(1)).select_from(matches).where(valid))


def phi_found(column: Any, category: str) -> ColumnElement[bool]:
    """Whether a value holds an identifier of ``category`` (null for a null value)."""
    pattern = next(p for p in phi.patterns() if p.category == category)
    text = _as_text(column)
    found = _regex(text, pattern.regex, ignore_case=pattern.ignore_case)
    if pattern.checked:
        found = sa.and_(found, valid_nir_exists(text))
    return found


def no_phi_condition(column: Any, category: str) -> ColumnElement[bool]:
    """The expectation's condition: the value holds no identifier of ``category``."""
    return sa.not_(sa.func.coalesce(phi_found(column, category), sa.false()))


def type_condition(column: Any, pattern: str, contract_type: str) -> ColumnElement[bool]:
    """The value, rendered as text by PostgreSQL, is of the contract type (nulls conform)."""
    matched = _regex(_as_text(column), pattern, ignore_case=contract_type == "boolean")
    return sa.or_(column.is_(None), matched)
