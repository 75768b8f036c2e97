"""Predictions: the columns an iteration is measured on, read and checked once.

The predictions file is what a partner or a vendor hands over: CSV (comma, semicolon or tab
separated, UTF-8) or Parquet, one row per case, with these columns:

=============== ========= ================================================================
column          values    meaning
=============== ========= ================================================================
``y_true``      0 or 1    what really happened (the reference), 1 = the condition
``y_score``     0 to 1    the model's risk score                   } one or both,
``y_pred``      0 or 1    the model's decision (1 = alert)         } with ``y_true``
``level_true``  1 to 5    the reference triage level, 1 = most urgent    } together
``level_pred``  1 to 5    the tool's triage level                        }
any other       any       a subgroup column (``sex``, ``age_band``...), read only when an
                          outcome names it in ``params.by``
=============== ========= ================================================================

Only the columns an outcome can use are read; the rest of the file (identifiers, notes) never
enters memory. Every problem is reported at once, by column and count (``column y_score: 3 rows
are outside 0 to 1``), never with the offending value: a predictions file may hold patient data.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import numpy as np

from codesign.csvfile import sniff_csv
from codesign.exceptions import DataError, FileReadError
from codesign.fileio import check_regular_file, sha256_file
from codesign.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    import pandas as pd
    from numpy.typing import NDArray

logger = logging.getLogger(__name__)

Y_TRUE: Final = "y_true"
Y_SCORE: Final = "y_score"
Y_PRED: Final = "y_pred"
LEVEL_TRUE: Final = "level_true"
LEVEL_PRED: Final = "level_pred"
PREDICTION_COLUMNS: Final = (Y_TRUE, Y_SCORE, Y_PRED, LEVEL_TRUE, LEVEL_PRED)
"""The columns with a fixed meaning; any other column is a subgroup column."""

TRIAGE_LEVELS: Final = (1, 2, 3, 4, 5)
_MANGLED: Final = re.compile(r"\.[1-9][0-9]*$")
"""The suffix pandas gives the second, third... column of one name (``y_true.1``)."""

CSV_SUFFIXES: Final = frozenset({".csv", ".tsv", ".txt"})
PARQUET_SUFFIXES: Final = frozenset({".parquet", ".pq"})

MODEL_SOURCE_SUFFIX: Final = " on an evaluation frame"
"""Ends the ``source`` of predictions made by a model (``LogisticRegression on an ...``)."""

FORMAT_HINT: Final = N_(
    "expected y_true (0/1) with y_score (0 to 1) and/or y_pred (0/1), "
    "and/or level_true with level_pred (triage levels 1 to 5)"
)


@dataclass(frozen=True, eq=False, repr=False)
class Predictions:
    """Checked prediction columns of one evaluation set, as numpy arrays of equal length.

    A column the file did not have is ``None``. ``groups`` holds the subgroup columns as
    strings (``None`` where empty). The ``repr`` shows the shape, never a value, so a notebook
    cell that echoes the object cannot display patient data.
    """

    source: str
    """For people: the file name, or what the predictions were made from."""
    sha256: str
    """Hash of the file (or, for an in-memory frame, of its checked columns)."""
    rows: int
    y_true: NDArray[np.int8] | None = None
    y_score: NDArray[np.float64] | None = None
    y_pred: NDArray[np.int8] | None = None
    level_true: NDArray[np.int8] | None = None
    level_pred: NDArray[np.int8] | None = None
    groups: Mapping[str, NDArray[np.object_]] = field(default_factory=dict)

    def has(self, column: str) -> bool:
        """Whether the predictions hold ``column`` (a prediction or a subgroup column)."""
        if column in PREDICTION_COLUMNS:
            return getattr(self, column) is not None
        return column in self.groups

    @property
    def columns(self) -> tuple[str, ...]:
        """The columns held, prediction columns first."""
        core = tuple(c for c in PREDICTION_COLUMNS if getattr(self, c) is not None)
        return core + tuple(c for c in self.groups if c not in core)

    def __repr__(self) -> str:
        return (
            f"Predictions(source={self.source!r}, rows={self.rows}, "
            f"columns={list(self.columns)!r}, sha256={self.sha256[:12]!r})"
        )


@dataclass(frozen=True)
class ModelInputs:
    """How to get predictions out of a fitted scikit-learn-style model and an evaluation frame.

    ``features``: the columns the model takes (default: the model's ``feature_names_in_``, else
    every column that is not a prediction column). ``output``: ``"risk"`` for a classifier of
    ``y_true`` (``predict_proba`` gives ``y_score`` when the model has it, ``predict`` gives
    ``y_pred``), ``"level"`` for a model whose ``predict`` returns triage levels
    (``level_pred``, compared with the frame's ``level_true``).
    """

    features: tuple[str, ...] | None = None
    output: Literal["risk", "level"] = "risk"


# --- reading files -----------------------------------------------------------------------------


def read_predictions(
    path: Path | str,
    *,
    group_columns: Iterable[str] = (),
    needed_by: Mapping[str, Sequence[str]] | None = None,
) -> Predictions:
    """Read and check a predictions file (CSV or Parquet, see the module documentation).

    ``group_columns`` are the subgroup columns to read as well (an absent one is simply not
    there: the outcome using it is not measured). ``needed_by`` maps a column to the outcomes
    that need it, so that an error about a missing column says what it is for. Raises
    :class:`DataError` naming the file, the columns and the counts of bad rows.
    """
    path = Path(path)
    groups = tuple(dict.fromkeys(group_columns))
    kind = _file_kind(path)
    try:
        size = check_regular_file(path, what="predictions file")
    except FileNotFoundError:
        msg = _("{path}: predictions file not found", path=path)
        raise DataError(msg) from None
    except FileReadError as e:
        raise DataError(str(e)) from e
    if size == 0:
        raise DataError(_empty(path))
    if kind == "csv":
        frame = _read_csv(path, groups, needed_by)
    else:
        frame = _read_parquet(path, groups, needed_by)
    checked = _check_frame(frame, str(path), groups, needed_by)
    return Predictions(source=path.name, sha256=sha256_file(path), **checked)


def _file_kind(path: Path) -> Literal["csv", "parquet"]:
    suffixes = [s.lower() for s in path.suffixes]
    last = suffixes[-1] if suffixes else ""
    if last == ".gz" and len(suffixes) >= 2:
        last = suffixes[-2]
    if last in CSV_SUFFIXES:
        return "csv"
    if last in PARQUET_SUFFIXES:
        return "parquet"
    got = repr(last) if last else _("(no suffix)")
    msg = _(
        "{path}: unknown predictions file type {suffix}; expected .csv or .parquet",
        path=path,
        suffix=got,
    )
    raise DataError(msg)


def _empty(path: Path) -> str:
    return _("{path}: the predictions file is empty; {hint}", path=path, hint=_(FORMAT_HINT))


def _not_text(path: Path, encoding: str, byte: int) -> str:
    return _(
        "{path}: not {encoding} text (byte {byte}); save the file as UTF-8 CSV",
        path=path,
        encoding=encoding,
        byte=byte,
    )


def _wanted(header: Sequence[str], groups: Sequence[str]) -> list[str]:
    return [c for c in header if c in PREDICTION_COLUMNS or c in groups]


def _read_csv(
    path: Path, groups: Sequence[str], needed_by: Mapping[str, Sequence[str]] | None
) -> pd.DataFrame:
    import pandas as pd

    dialect = sniff_csv(path, "predictions file")
    options: dict[str, Any] = {
        "sep": dialect.delimiter,
        "encoding": dialect.encoding,
        "encoding_errors": "replace" if dialect.encoding == "cp1252" else "strict",
    }
    try:
        header = list(pd.read_csv(path, nrows=0, **options).columns)
    except UnicodeDecodeError as e:
        raise DataError(_not_text(path, dialect.encoding, e.start)) from None
    except pd.errors.EmptyDataError:
        raise DataError(_empty(path)) from None
    except (pd.errors.ParserError, ValueError, OSError) as e:
        msg = _("{path}: not a readable CSV file ({error})", path=path, error=type(e).__name__)
        raise DataError(msg) from None
    wanted = _wanted([str(c) for c in header], groups)
    _check_structure(str(path), [str(c) for c in header], needed_by)
    try:
        # Prediction columns are parsed by pandas' C parser (a column with stray text arrives
        # as strings and is counted in the checks); subgroup columns stay text ("01" is a code).
        frame: pd.DataFrame = pd.read_csv(
            path,
            usecols=wanted,
            dtype={c: str for c in wanted if c not in PREDICTION_COLUMNS},
            skipinitialspace=True,
            **options,
        )
    except UnicodeDecodeError as e:
        raise DataError(_not_text(path, dialect.encoding, e.start)) from None
    except (pd.errors.ParserError, ValueError, OSError) as e:
        # Parser messages quote line numbers and, for some errors, cell content: keep the type.
        msg = _(
            "{path}: not a readable CSV file ({error}); check the separators and quotes",
            path=path,
            error=type(e).__name__,
        )
        raise DataError(msg) from None
    return frame


def _read_parquet(
    path: Path, groups: Sequence[str], needed_by: Mapping[str, Sequence[str]] | None
) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        header = list(pq.read_schema(path).names)
        _check_structure(str(path), header, needed_by)
        table = pq.read_table(path, columns=_wanted(header, groups))
    except (pa.ArrowException, OSError) as e:
        msg = _("{path}: not a readable Parquet file ({error})", path=path, error=type(e).__name__)
        raise DataError(msg) from None
    frame: pd.DataFrame = table.to_pandas()
    return frame


# --- frames and models -------------------------------------------------------------------------


def predictions_from_frame(
    frame: pd.DataFrame,
    *,
    source: str = "data frame",
    group_columns: Iterable[str] = (),
    needed_by: Mapping[str, Sequence[str]] | None = None,
) -> Predictions:
    """Check predictions held in a pandas DataFrame (same columns as the file format)."""
    import pandas as pd

    groups = tuple(dict.fromkeys(group_columns))
    header = [str(c) for c in frame.columns]
    _check_structure(source, header, needed_by)
    columns = _wanted(header, groups)
    subset = pd.DataFrame({name: frame[name] for name in columns})
    checked = _check_frame(subset, source, groups, needed_by)
    return Predictions(source=source, sha256=_frame_sha256(checked), **checked)


def predictions_from_model(
    model: Any,
    frame: pd.DataFrame,
    inputs: ModelInputs | None = None,
    *,
    group_columns: Iterable[str] = (),
    needed_by: Mapping[str, Sequence[str]] | None = None,
) -> Predictions:
    """Predict with a fitted model on an evaluation frame and check the result.

    The frame holds the features, the reference (``y_true`` for a risk model, ``level_true``
    for a triage-level model) and the subgroup columns. The predictions are exactly what writing
    ``y_score``/``y_pred`` (or ``level_pred``) to a file and reading it back would give, so an
    iteration logged from a model and one logged from the model's predictions file measure the
    same.
    """
    import pandas as pd

    inputs = inputs or ModelInputs()
    source = f"{type(model).__name__}{MODEL_SOURCE_SUFFIX}"
    features = _features(model, frame, inputs)
    missing = [c for c in features if c not in frame.columns]
    if missing:
        msg = f"{source}: the frame lacks feature column(s) {', '.join(missing)}"
        raise DataError(msg)
    x = frame[list(features)]
    label = LEVEL_TRUE if inputs.output == "level" else Y_TRUE
    out: dict[str, Any] = {label: frame[label]} if label in frame.columns else {}
    if inputs.output == "level":
        out[LEVEL_PRED] = _call(model, "predict", x, source)
    else:
        if hasattr(model, "predict_proba"):
            out[Y_SCORE] = _positive_column(model, _call(model, "predict_proba", x, source), source)
        if hasattr(model, "predict"):
            out[Y_PRED] = _call(model, "predict", x, source)
    for name in dict.fromkeys(group_columns):
        if name in frame.columns and name not in out:
            out[name] = frame[name]
    predicted = pd.DataFrame({k: np.asarray(v) for k, v in out.items()})
    return predictions_from_frame(
        predicted, source=source, group_columns=group_columns, needed_by=needed_by
    )


def _features(model: Any, frame: pd.DataFrame, inputs: ModelInputs) -> tuple[str, ...]:
    if inputs.features is not None:
        return tuple(inputs.features)
    names = getattr(model, "feature_names_in_", None)
    if names is not None:
        return tuple(str(n) for n in names)
    return tuple(str(c) for c in frame.columns if c not in PREDICTION_COLUMNS)


def _call(model: Any, method: str, x: pd.DataFrame, source: str) -> Any:
    try:
        return getattr(model, method)(x)
    except (ValueError, TypeError, KeyError, AttributeError) as e:
        # The model's own message may quote feature values: keep only its type.
        msg = (
            f"{source}: {method} failed ({type(e).__name__}); "
            "are the features the ones it was fitted on?"
        )
        raise DataError(msg) from None


def _positive_column(model: Any, proba: Any, source: str) -> NDArray[np.float64]:
    matrix = np.asarray(proba, dtype=np.float64)
    if matrix.ndim == 1:
        return matrix
    classes = list(getattr(model, "classes_", range(matrix.shape[1])))
    positive = [i for i, c in enumerate(classes) if c == 1]
    if matrix.ndim != 2 or not positive:
        msg = f"{source}: predict_proba has no column for class 1; expected a 0/1 classifier"
        raise DataError(msg)
    column: NDArray[np.float64] = matrix[:, positive[0]]
    return column


def _frame_sha256(checked: Mapping[str, Any]) -> str:
    """A content hash of checked columns, stable across runs (names, dtypes and bytes)."""
    digest = hashlib.sha256()
    for name in sorted(n for n in PREDICTION_COLUMNS if checked.get(n) is not None):
        array = np.ascontiguousarray(checked[name])
        digest.update(f"{name}:{array.dtype.str}:".encode())
        digest.update(array.tobytes())
    for name, values in sorted(checked["groups"].items()):
        digest.update(f"group:{name}:".encode())
        digest.update("\x1f".join("\x00" if v is None else str(v) for v in values).encode())
    return digest.hexdigest()


# --- checks ------------------------------------------------------------------------------------


def _check_structure(
    source: str, header: Sequence[str], needed_by: Mapping[str, Sequence[str]] | None
) -> None:
    """Refuse a file that cannot be a predictions file: no usable pair of columns."""
    present = set(header)
    problems: list[str] = [
        _(
            "column {column} appears {count} times; keep one (which one is the reference or the "
            "prediction cannot be guessed)",
            column=name,
            count=count,
        )
        for name, count in _repeated(header).items()
    ]
    has_binary = Y_TRUE in present and (Y_SCORE in present or Y_PRED in present)
    has_levels = LEVEL_TRUE in present and LEVEL_PRED in present
    if Y_TRUE in present and not has_binary:
        problems.append(
            _(
                "y_true is there but neither y_score nor y_pred{needed}",
                needed=_for(needed_by, Y_SCORE, Y_PRED),
            )
        )
    if Y_TRUE not in present and (Y_SCORE in present or Y_PRED in present):
        problems.append(
            _(
                "missing column y_true, the reference to compare with{needed}",
                needed=_for(needed_by, Y_TRUE),
            )
        )
    if (LEVEL_TRUE in present) != (LEVEL_PRED in present):
        missing = LEVEL_PRED if LEVEL_TRUE in present else LEVEL_TRUE
        problems.append(
            _("missing column {column}{needed}", column=missing, needed=_for(needed_by, missing))
        )
    if not problems and not has_binary and not has_levels:
        needed = sorted(c for c in PREDICTION_COLUMNS if needed_by and needed_by.get(c))
        problems.append(
            _(
                "no prediction columns; missing {columns}{needed}",
                columns=", ".join(needed),
                needed=_for(needed_by, *needed),
            )
            if needed
            else _("no prediction columns")
        )
    if problems:
        found = ", ".join(header[:20]) + (", ..." if len(header) > 20 else "")
        msg = _(
            "{source}: {problems}; {hint} (found columns: {found})",
            source=source,
            problems=_("; ").join(problems),
            hint=_(FORMAT_HINT),
            found=found or _("none"),
        )
        raise DataError(msg)


def _repeated(header: Sequence[str]) -> dict[str, int]:
    """Prediction columns the header holds more than once, with how many times.

    pandas renames a repeated CSV column ``y_true``, ``y_true.1``...: those count as repeats.
    """
    counts: dict[str, int] = {}
    for name in header:
        base = _MANGLED.sub("", name) if _MANGLED.search(name) else name
        if base in PREDICTION_COLUMNS:
            counts[base] = counts.get(base, 0) + 1
    return {name: count for name, count in counts.items() if count > 1}


def _for(needed_by: Mapping[str, Sequence[str]] | None, *columns: str) -> str:
    """`` (needed by outcomes a, b)`` for the outcomes that need any of ``columns``."""
    if not needed_by:
        return ""
    outcomes = sorted({o for c in columns for o in needed_by.get(c, ())})
    if not outcomes:
        return ""
    return " " + ngettext(
        "(needed by outcome {outcomes})",
        "(needed by outcomes {outcomes})",
        len(outcomes),
        outcomes=", ".join(outcomes),
    )


def _rows(count: int) -> str:
    return ngettext("{n} row", "{n} rows", count)


def _check_frame(
    frame: pd.DataFrame,
    source: str,
    groups: Sequence[str],
    needed_by: Mapping[str, Sequence[str]] | None,
) -> dict[str, Any]:
    """Convert and check every column at once; raise one :class:`DataError` listing all problems."""
    _check_structure(source, [str(c) for c in frame.columns], needed_by)
    rows = len(frame)
    if rows == 0:
        msg = _("{source}: the predictions hold a header but no rows", source=source)
        raise DataError(msg)
    problems: list[str] = []
    out: dict[str, Any] = {"rows": rows}
    for name in PREDICTION_COLUMNS:
        if name in frame.columns:
            out[name] = _column(frame[name], name, problems)
    out["groups"] = {name: _group_values(frame[name]) for name in groups if name in frame.columns}
    if problems:
        listing = "\n".join(f"  {p}" for p in problems)
        msg = _(
            "{source}: {count} problem(s) in the predictions:\n{listing}\n  ({hint})",
            source=source,
            count=len(problems),
            listing=listing,
            hint=_(FORMAT_HINT),
        )
        raise DataError(msg)
    return out


_RULES: Final[Mapping[str, tuple[str, str]]] = {
    Y_TRUE: ("binary", N_("column {column}: {rows} not 0 or 1")),
    Y_PRED: ("binary", N_("column {column}: {rows} not 0 or 1")),
    Y_SCORE: ("unit", N_("column {column}: {rows} outside 0 to 1")),
    LEVEL_TRUE: ("level", N_("column {column}: {rows} not a triage level 1 to 5")),
    LEVEL_PRED: ("level", N_("column {column}: {rows} not a triage level 1 to 5")),
}


def _column(series: pd.Series[Any], name: str, problems: list[str]) -> NDArray[Any] | None:
    """One prediction column as numbers; bad rows are counted into ``problems``, never quoted."""
    import pandas as pd

    if pd.api.types.is_bool_dtype(series.dtype):
        series = series.astype("Float64")  # nullable booleans keep their gaps
    if isinstance(series.dtype, pd.StringDtype) or series.dtype == object:
        series = series.str.strip().str.lower().replace({"true": "1", "false": "0"})
    empty = series.isna()
    numbers = pd.to_numeric(series, errors="coerce")
    values = numbers.to_numpy(dtype=np.float64, na_value=np.nan)
    not_numbers = int((np.isnan(values) & ~empty.to_numpy()).sum())
    n_empty = int(empty.sum())
    kind, expectation = _RULES[name]
    finite = values[~np.isnan(values)]
    if kind == "binary":
        bad = int((~np.isin(finite, (0.0, 1.0))).sum())
    elif kind == "unit":
        bad = int(((finite < 0) | (finite > 1) | ~np.isfinite(finite)).sum())
    else:
        bad = int((~np.isin(finite, TRIAGE_LEVELS)).sum())
    before = len(problems)
    if n_empty:
        problems.append(_("column {column}: {rows} empty (NaN)", column=name, rows=_rows(n_empty)))
    if not_numbers:
        problems.append(
            _("column {column}: {rows} not a number", column=name, rows=_rows(not_numbers))
        )
    if bad:
        problems.append(_(expectation, column=name, rows=_rows(bad)))
    if len(problems) > before:
        return None
    if kind == "unit":
        return values
    return values.astype(np.int8)


def _group_values(series: pd.Series[Any]) -> NDArray[np.object_]:
    """A subgroup column as strings, ``None`` where empty (those rows join no group)."""
    text = series.astype("string").str.strip()
    text = text.mask(text == "")
    return np.asarray(text.astype(object).where(text.notna(), None), dtype=object)
