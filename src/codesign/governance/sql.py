"""The gate's conditions in SQL (PostgreSQL), so a warehouse table is checked where it lives.

Each function returns a SQLAlchemy boolean expression on one column; Great Expectations' SQL
execution engine sums it over the table, so only counts come back from the database. A category
is found when one of its rules (:func:`codesign.governance.phi.category_rules`) matches, applied
with PostgreSQL's ``~`` (``~*`` ignoring case), look-arounds included; the NIR check key is
computed in SQL (Corsica's 2A/2B count as 19/18, as in python-stdnum) on every NIR-shaped
candidate of a value, separators removed.
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
    compact = sa.func.upper(sa.func.regexp_replace(matches.c.g[1], "[^0-9A-Za-z]", "", "g"))
    body = sa.func.replace(sa.func.replace(sa.func.substr(compact, 1, 13), "2A", "19"), "2B", "18")
    key = sa.cast(sa.func.substr(compact, 14, 2), sa.Integer)
    valid = (97 - sa.cast(body, sa.BigInteger) % 97) == key
    return sa.exists(sa.select(sa.literal(1)).select_from(matches).where(valid))


def phi_found(column: Any, category: str) -> ColumnElement[bool]:
    """Whether a value holds an identifier of ``category`` (null for a null value)."""
    text = _as_text(column)
    conditions = []
    for rule in phi.category_rules(category):
        found = _regex(text, rule.regex, ignore_case=rule.ignore_case)
        conditions.append(sa.and_(found, valid_nir_exists(text)) if rule.checked else found)
    return sa.or_(*conditions)


def no_phi_condition(column: Any, category: str) -> ColumnElement[bool]:
    """The expectation's condition: the value holds no identifier of ``category``."""
    return sa.not_(sa.func.coalesce(phi_found(column, category), sa.false()))


def type_condition(column: Any, pattern: str, contract_type: str) -> ColumnElement[bool]:
    """The value, rendered as text by PostgreSQL, is of the contract type (nulls conform)."""
    matched = _regex(_as_text(column), pattern, ignore_case=contract_type == "boolean")
    return sa.or_(column.is_(None), matched)
