"""The row conditions of the gate's column checks on pandas, as plain functions, and their counts.

Each column map expectation of :mod:`codesign.governance.expectations` asks one yes/no question
of every row (is it of the contract's type, in range, in the allowed set, unique in the batch,
free of identifiers of one category, not null). Its Great Expectations metric, on pandas, calls
the function here; :func:`batch_counts` calls the same functions on a batch directly.

:func:`batch_counts` is how the gate counts a batch of a streamed file that is not the last one
(:func:`codesign.governance.gx.validate_batches`): Great Expectations spends more time building
its metric graph for a suite of a hundred-odd expectations than the checks themselves take, once
per batch, for results that are only added up. The counts are those Great Expectations reports
for a column map expectation (``element_count``, ``missing_count``, ``unexpected_count``),
computed as its pandas engine computes them: rows; nulls by ``isnull``; rows whose condition is
false (the conditions treat nulls as conforming). The last batch always runs through Great
Expectations' checkpoint, and the Data Docs show the merged counts.

Nothing here imports Great Expectations.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Final

from codesign.charter.model import ColumnType
from codesign.exceptions import GovernanceError

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from codesign.governance.plan import Check

logger = logging.getLogger(__name__)

TYPE_PATTERNS: Final[dict[ColumnType, str]] = {
    ColumnType.INTEGER: "^[ ]*[-+]?[0-9]+[ ]*$",
    ColumnType.NUMBER: (
        "^[ ]*[-+]?(?:[0-9]+(?:[.][0-9]*)?|[.][0-9]+)(?:[eE][-+]?[0-9]+)?[ ]*$"
        "|^[ ]*(?:[Nn]a[Nn]|[-+]?[Ii]nfinity)[ ]*$"
    ),
    ColumnType.BOOLEAN: "^[ ]*(?:true|false|t|f|yes|no|oui|non|0|1)[ ]*$",
    ColumnType.DATE: "^[ ]*[0-9]{4}-[0-9]{2}-[0-9]{2}[ ]*$",
    ColumnType.DATETIME: (
        "^[ ]*[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:[.][0-9]+)?)?)?"
        "(?:Z|[-+][0-9]{2}(?::?[0-9]{2})?)?[ ]*$"
    ),
}
"""Full-match patterns (portable syntax) for a value written as text; booleans ignore case."""

NOT_NULL: Final = "expect_column_values_to_not_be_null"
TYPE: Final = "expect_column_values_to_match_contract_type"
BETWEEN: Final = "expect_column_values_to_be_between_when_present"
IN_SET: Final = "expect_column_values_to_be_in_set_when_present"
UNIQUE: Final = "expect_column_values_to_be_unique_when_present"
NO_PHI: Final = "expect_column_values_to_contain_no_phi"
COUNTED: Final = frozenset({NOT_NULL, TYPE, BETWEEN, IN_SET, UNIQUE, NO_PHI})
"""The column map expectations :func:`batch_counts` counts."""
STRUCTURAL: Final = frozenset(
    {
        "expect_table_columns_to_be_declared",
        "expect_column_to_exist",
        "expect_column_to_be_absent",
    }
)
"""The checks that depend on the columns alone, the same in every batch: not counted."""

Counts = tuple[int, int | None, int]
"""``element_count``, ``missing_count`` (None where the expectation reports none: a null
check, whose unexpected values are the nulls) and ``unexpected_count``."""


# --- the conditions -----------------------------------------------------------------------------


def phi_masks(column: pd.Series) -> dict[str, np.ndarray]:
    """Per PHI category, which values of a column hold an identifier (one scan for all)."""
    import pyarrow as pa

    from codesign.governance import phi

    if column.dtype == object:  # mixed Python values: scan their text
        column = column.astype("str")
    return phi.scan_strings(pa.array(column, from_pandas=True))


def between(
    column: pd.Series,
    min_value: float | None = None,
    max_value: float | None = None,
    strict_min: bool = False,
    strict_max: bool = False,
) -> pd.Series:
    """``min_value <= value <= max_value`` (strict bounds if asked); nulls conform."""
    import numpy as np
    import pandas as pd

    values = column.to_numpy(dtype="float64", na_value=np.nan)
    ok = np.ones(len(values), dtype=bool)
    with np.errstate(invalid="ignore"):
        if min_value is not None:
            ok &= values > min_value if strict_min else values >= min_value
        if max_value is not None:
            ok &= values < max_value if strict_max else values <= max_value
    return pd.Series(ok | np.isnan(values), index=column.index)


def in_set(column: pd.Series, value_set: list[Any]) -> pd.Series:
    """The value is one of ``value_set``; nulls conform."""
    result: pd.Series = column.isin(value_set) | column.isna()
    return result


def unique(column: pd.Series) -> pd.Series:
    """No other row of the batch holds the same value; nulls conform."""
    result: pd.Series = ~column.duplicated(keep=False) | column.isna()
    return result


def conforms_to_type(column: pd.Series, contract_type: ColumnType) -> pd.Series:
    """Which values of a pandas column are of ``contract_type`` (nulls conform).

    Typed storage answers at once (an ``Int64`` column holds integers, a float column holds
    integers where the value has no fraction); text is matched against :data:`TYPE_PATTERNS`,
    the way PostgreSQL's text rendering of the same value is matched.
    """
    import numpy as np
    import pandas as pd
    from pandas.api import types

    missing = column.isna()
    dtype = column.dtype
    if types.is_bool_dtype(dtype):
        ok = contract_type is ColumnType.BOOLEAN
        return pd.Series(np.full(len(column), ok), index=column.index) | missing
    if types.is_numeric_dtype(dtype):
        if contract_type is ColumnType.NUMBER:
            return pd.Series(True, index=column.index)
        if contract_type is ColumnType.INTEGER:
            if types.is_integer_dtype(dtype):
                return pd.Series(True, index=column.index)
            values = column.to_numpy(dtype="float64", na_value=np.nan)
            with np.errstate(invalid="ignore"):
                whole = np.isfinite(values) & (np.floor(values) == values)
            return pd.Series(whole, index=column.index) | missing
        if contract_type is ColumnType.BOOLEAN:
            return column.isin([0, 1]) | missing
        return missing
    if types.is_datetime64_any_dtype(dtype):
        ok = contract_type in (ColumnType.DATE, ColumnType.DATETIME)
        return pd.Series(np.full(len(column), ok), index=column.index) | missing
    return _text_conforms(column, contract_type) | missing


def _text_conforms(column: pd.Series, contract_type: ColumnType) -> pd.Series:
    import datetime as dt

    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from codesign.governance.phi import contiguous

    if column.dtype == object:
        kinds = pd.api.types.infer_dtype(column, skipna=True)
        if kinds in ("date", "datetime") and contract_type in (
            ColumnType.DATE,
            ColumnType.DATETIME,
        ):
            return column.map(lambda v: isinstance(v, dt.date), na_action="ignore").fillna(True)
        column = column.astype("str")
    values = contiguous(pa.array(column, from_pandas=True))
    if not pa.types.is_string(values.type) and not pa.types.is_large_string(values.type):
        values = pc.cast(values, pa.string())
    matched = pc.match_substring_regex(
        values,
        pattern=TYPE_PATTERNS[contract_type],
        ignore_case=contract_type is ColumnType.BOOLEAN,
    ).fill_null(True)
    return pd.Series(
        np.asarray(matched.to_numpy(zero_copy_only=False), dtype=bool), index=column.index
    )


# --- the counts of a batch ----------------------------------------------------------------------


def batch_counts(checks: list[Check], frame: pd.DataFrame) -> dict[int, Counts]:
    """The counts of every column map check of ``checks`` on ``frame``, by position in the plan.

    As Great Expectations' pandas engine counts them (see the module's documentation), except
    for uniqueness: its unexpected count within one batch is not computed (0), since the gate
    counts repeats across every batch itself. Each column is scanned for identifiers once, for
    every category.
    """
    scans: dict[str, dict[str, np.ndarray]] = {}
    counts: dict[int, Counts] = {}
    for index, check in enumerate(checks):
        if check.expectation in STRUCTURAL:
            continue
        if check.expectation not in COUNTED or check.column is None:  # pragma: no cover
            msg = f"{check.expectation}: no count without Great Expectations for this check"
            raise RuntimeError(msg)  # a coding error: a new check must be counted here too
        try:
            counts[index] = _counts(check, frame, scans)
        except Exception as e:  # its message could quote a value
            logger.debug("%s raised while counting %s", type(e).__name__, check.expectation)
            raise unevaluated(check) from None
    return counts


def unevaluated(check: Check) -> GovernanceError:
    """The error for a check that could not be evaluated (its cause is not quoted)."""
    where = f" on column {check.column}" if check.column else ""
    return GovernanceError(f"Great Expectations could not evaluate {check.expectation}{where}")


def _counts(check: Check, frame: pd.DataFrame, scans: dict[str, dict[str, np.ndarray]]) -> Counts:
    import numpy as np

    rows, name = len(frame), str(check.column)
    column = frame[name]
    missing = int(np.count_nonzero(column.isnull().to_numpy()))
    kwargs = check.kwargs
    if check.expectation == NOT_NULL:
        return rows, None, missing
    if check.expectation == NO_PHI:
        if name not in scans:
            scans[name] = phi_masks(column)
        unexpected = int(np.count_nonzero(scans[name][kwargs["category"]]))
    elif check.expectation == UNIQUE:
        unexpected = 0
    else:
        if check.expectation == TYPE:
            ok = conforms_to_type(column, ColumnType(kwargs["contract_type"]))
        elif check.expectation == BETWEEN:
            ok = between(
                column,
                kwargs.get("min_value"),
                kwargs.get("max_value"),
                bool(kwargs.get("strict_min", False)),
                bool(kwargs.get("strict_max", False)),
            )
        else:
            ok = in_set(column, kwargs["value_set"])
        unexpected = int(np.count_nonzero(~ok))  # as Great Expectations counts
    return rows, missing, unexpected
