"""Running the plan through Great Expectations: context, data source, suite, checkpoint, docs.

A table is validated in one run, inside the database (:func:`validate`); a file batch by batch,
the counts merged into one result (:func:`validate_batches`).

Everything Great Expectations is touched here and in :mod:`codesign.governance.expectations`.
The context is ephemeral: the suite is rebuilt from the charter on each run (the charter is the
source of truth, so no second copy of the contract is stored), and Data Docs are written to a
temporary folder that the caller publishes only once the results are known to hold no values.

The result format keeps counts only: ``BASIC`` with ``exclude_unexpected_values``, no unexpected
rows, no index lists or queries, and a partial unexpected count of zero, so Great Expectations
neither keeps nor renders any value.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Protocol

from codesign.config import quiet_telemetry
from codesign.exceptions import GovernanceError
from codesign.governance.conditions import batch_counts, unevaluated

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from types import ModuleType

    import pandas as pd

    from codesign.governance.conditions import Counts
    from codesign.governance.plan import Check
    from codesign.governance.sources import Batch, Source

logger = logging.getLogger(__name__)

RESULT_FORMAT: Final[dict[str, Any]] = {
    "result_format": "BASIC",
    "partial_unexpected_count": 0,
    "exclude_unexpected_values": True,
    "include_unexpected_rows": False,
    "return_unexpected_index_query": False,
}
"""Counts, never values: nothing a person could read a patient's data from."""

VALUE_KEYS: Final = frozenset(
    {
        "partial_unexpected_list",
        "partial_unexpected_counts",
        "partial_unexpected_index_list",
        "unexpected_list",
        "unexpected_index_list",
        "unexpected_index_query",
        "unexpected_rows",
        "details",
    }
)
"""Result keys that could carry values; a result holding one is refused, not published."""

SITE_NAME: Final = "codesign"
SUITE_NAME: Final = "data_contract"
RUN_NAME: Final = "codesign-gate"
_CHECK_META: Final = "codesign_check"
_LIBRARY: Final = "great_expectations"


@dataclass(frozen=True)
class Outcome:
    """What one expectation found: success and counts."""

    check: Check
    success: bool
    result: dict[str, Any]

    @property
    def unexpected(self) -> int:
        return int(self.result.get("unexpected_count") or 0)

    @property
    def non_null(self) -> int | None:
        if "element_count" not in self.result or self.result.get("missing_count") is None:
            return None
        return int(self.result["element_count"]) - int(self.result["missing_count"])


def load() -> ModuleType:
    """Import Great Expectations (analytics off) and register codesign's expectations."""
    quiet_telemetry()
    with _library_quiet():
        import great_expectations as gx

        import codesign.governance.expectations  # noqa: F401 - registers the expectations
    return gx


@contextlib.contextmanager
def _library_quiet() -> Iterator[None]:
    """Silence Great Expectations' own deprecation warnings and its debug chatter.

    Its deprecation warnings concern its own dependencies (not actionable by our users) and
    would fail a run with warnings as errors. Its loggers are held at WARNING or above: at DEBUG
    they dump metric values, which could hold data, and at INFO they drown ours.
    """
    floor = max(logging.WARNING, logging.getLogger(_LIBRARY).getEffectiveLevel())
    saved: dict[str, int] = {}
    for name in [_LIBRARY, *logging.root.manager.loggerDict]:
        library = logging.getLogger(name)
        ours = name == _LIBRARY or name.startswith(f"{_LIBRARY}.")
        if ours and library.level < floor and (library.level or name == _LIBRARY):
            saved[name] = library.level
            library.setLevel(floor)
    try:
        with warnings.catch_warnings():
            for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
                warnings.simplefilter("ignore", category)
            yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


@contextlib.contextmanager
def _no_fingerprint() -> Iterator[None]:
    """Keep Great Expectations from hashing every value of each pandas batch.

    Its pandas engine hashes a whole batch (``pandas_data_fingerprint``, a batch marker that
    only names the batch) whenever the batch is under ``HASH_THRESHOLD`` bytes: on a streamed
    extract that is a pass over every row, as costly as a PHI scan, for a hash nobody reads (the
    gate keys its result by the file's SHA-256). The threshold is lowered for the run only.
    """
    from great_expectations.execution_engine import pandas_execution_engine as engine

    saved = engine.HASH_THRESHOLD
    engine.HASH_THRESHOLD = 0
    try:
        yield
    finally:
        engine.HASH_THRESHOLD = saved


def _checkpoint(
    gx: Any, context: Any, batch_definition: Any, checks: list[Check]
) -> tuple[Any, Any]:
    """The suite of ``checks`` on ``batch_definition``, and the checkpoint that runs it and
    updates the Data Docs; returns the checkpoint and its validation definition."""
    expectations = [_expectation(check, index) for index, check in enumerate(checks)]
    suite = context.suites.add(gx.ExpectationSuite(name=SUITE_NAME, expectations=expectations))
    definition = context.validation_definitions.add(
        gx.ValidationDefinition(name=SUITE_NAME, data=batch_definition, suite=suite)
    )
    checkpoint = context.checkpoints.add(
        gx.Checkpoint(
            name=RUN_NAME,
            validation_definitions=[definition],
            actions=[gx.checkpoint.UpdateDataDocsAction(name="docs", site_names=[SITE_NAME])],
            result_format=RESULT_FORMAT,
        )
    )
    return checkpoint, definition


def validate(source: Source, batch: Batch, checks: list[Check], docs_dir: Path) -> list[Outcome]:
    """Run ``checks`` on the batch through a Great Expectations checkpoint; build Data Docs.

    Raises :class:`GovernanceError` when an expectation could not be evaluated (its message is
    not repeated: it could quote a value) or when a result holds anything but counts.
    """
    gx = load()
    with _library_quiet():
        context = _context(gx, docs_dir)
        batch_definition, parameters = _batch_definition(context, source, batch)
        checkpoint, _ = _checkpoint(gx, context, batch_definition, checks)
        run_id = gx.RunIdentifier(run_name=RUN_NAME, run_time=dt.datetime.now(dt.UTC))
        try:
            result = checkpoint.run(batch_parameters=parameters, run_id=run_id)
        except Exception as e:  # translate at the boundary; the cause may quote data
            raise _translate(source, e) from None
    outcomes: list[Outcome] = []
    for validation in result.run_results.values():
        for item in validation.results:
            outcomes.append(_outcome(item, checks))
    return outcomes


class Batches(Protocol):
    """Frames read one at a time; ``last`` tells, once a frame is handed out, whether it is the
    last (so that the next one need not be read, and held, to know)."""

    last: bool

    def __iter__(self) -> Iterator[pd.DataFrame]: ...


def validate_batches(
    source: Source, frames: Batches, checks: list[Check], docs_dir: Path
) -> list[Outcome]:
    """Run ``checks`` on an extract batch by batch; merge the counts; build Data Docs once.

    The last batch runs through the checkpoint; the batches before it are counted by
    :func:`~codesign.governance.conditions.batch_counts`, the same conditions as the suite's
    metrics, as Great Expectations counts them, without rebuilding its metric graph for every
    batch. Counts add up across batches (rows, missing values, unexpected values), and success
    is decided on the sums with Great Expectations' own rule (``mostly``); a uniqueness check
    counts the rows whose value appears in any other row of any batch (:class:`_Repeats`). The
    Data Docs show the merged result, as one run on the whole file would. Raises like
    :func:`validate`.
    """
    gx = load()
    with _library_quiet(), _no_fingerprint():
        context = _context(gx, docs_dir)
        datasource = context.data_sources.add_pandas(name="extract")
        asset = datasource.add_dataframe_asset(name=source.asset_name)
        batch_definition = asset.add_batch_definition_whole_dataframe("whole file")
        checkpoint, _ = _checkpoint(gx, context, batch_definition, checks)
        run_id = gx.RunIdentifier(run_name=RUN_NAME, run_time=dt.datetime.now(dt.UTC))
        merged = _Merged(checks)
        batches = iter(frames)
        while True:
            current = next(batches, None)
            if current is None:  # pragma: no cover - the reader refuses a file without rows
                msg = f"{source.display}: no rows to check"
                raise GovernanceError(msg)
            merged.add_frame(current)
            if frames.last:
                break
            try:
                counts = batch_counts(checks, current)
            except GovernanceError:
                raise
            except Exception as e:  # translate at the boundary; the cause may quote data
                raise _translate(source, e) from None
            del current
            merged.add_counts(counts)
        try:
            result = checkpoint.run(batch_parameters={"dataframe": current}, run_id=run_id)
        except Exception as e:
            raise _translate(source, e) from None
        del current
        if next(batches, None) is not None:  # pragma: no cover - the reader said it was last
            msg = f"{source.display}: rows after the last batch"
            raise GovernanceError(msg)
        (key, validation), *_ = result.run_results.items()
        merged.add([(_index(item), _outcome(item, checks)) for item in validation.results])
        if merged.batches > 1:
            merged.rewrite(validation)
            context.validation_results_store.set(key, validation)
            from great_expectations.data_context.types.resource_identifiers import (
                ExpectationSuiteIdentifier,
            )

            context.build_data_docs(
                site_names=[SITE_NAME],
                resource_identifiers=[key, ExpectationSuiteIdentifier(name=SUITE_NAME)],
                dry_run=False,
                build_index=True,
            )
    return merged.outcomes()


class _Merged:
    """Outcomes of every batch so far, summed per check."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = checks
        self.batches = 0
        self.success: dict[int, bool] = {}
        self.result: dict[int, dict[str, Any]] = {}
        self.counts: dict[int, list[int | None]] = {}
        self.repeats = {
            i: _Repeats() for i, check in enumerate(checks) if check.category == "unique"
        }

    def add_frame(self, frame: pd.DataFrame) -> None:
        for index, repeats in self.repeats.items():
            column = self.checks[index].column
            if column is not None and column in frame.columns:
                repeats.add(frame[column])

    def add(self, outcomes: list[tuple[int, Outcome]]) -> None:
        """The outcomes of a batch validated by Great Expectations (the last one)."""
        self.batches += 1
        for index, outcome in outcomes:
            self.success[index] = outcome.success
            self.result[index] = outcome.result
            if "element_count" in outcome.result:
                self._sum(
                    index,
                    [
                        outcome.result.get("element_count"),
                        outcome.result.get("missing_count"),
                        outcome.result.get("unexpected_count"),
                    ],
                )

    def add_counts(self, counts: dict[int, Counts]) -> None:
        """The counts of a batch counted without Great Expectations (:func:`batch_counts`)."""
        self.batches += 1
        for index, found in counts.items():
            self._sum(index, list(found))

    def _sum(self, index: int, counts: list[int | None]) -> None:
        before = self.counts.get(index)
        self.counts[index] = (
            counts
            if before is None
            else [
                None if a is None or b is None else a + b
                for a, b in zip(before, counts, strict=True)
            ]
        )

    def merged(self, index: int) -> tuple[bool, dict[str, Any]]:
        """The success and result of one check over every batch."""
        counts = self.counts.get(index)
        if self.batches == 1 or counts is None:
            return self.success[index], self.result[index]
        element, missing, unexpected = counts
        if index in self.repeats:
            unexpected = self.repeats[index].count()
        return _map_result(self.checks[index], int(element or 0), missing, unexpected)

    def outcomes(self) -> list[Outcome]:
        """One outcome per check, in the order Great Expectations reported them."""
        return [Outcome(self.checks[index], *self.merged(index)) for index in self.result]

    def rewrite(self, validation: Any) -> None:
        """Put the merged counts into the last batch's suite result (for the Data Docs)."""
        for item in validation.results:
            item.success, item.result = self.merged(_index(item))
        evaluated = len(validation.results)
        successful = sum(1 for item in validation.results if item.success)
        validation.success = successful == evaluated
        validation.statistics.update(
            {
                "evaluated_expectations": evaluated,
                "successful_expectations": successful,
                "unsuccessful_expectations": evaluated - successful,
                "success_percent": successful / evaluated * 100 if evaluated else None,
            }
        )


def _map_result(
    check: Check, element: int, missing: int | None, unexpected: int | None
) -> tuple[bool, dict[str, Any]]:
    """Success and result of a column map expectation from counts, as Great Expectations does.

    With ``missing`` (most map expectations) success is judged on the non-missing values; without
    (``expect_column_values_to_not_be_null``, whose unexpected values are the missing ones) on
    every row.
    """
    from great_expectations.expectations.expectation import _format_map_output, _mostly_success
    from great_expectations.expectations.expectation_configuration import parse_result_format

    mostly = float(check.kwargs.get("mostly", 1.0))
    nonnull = None if missing is None else element - missing
    if unexpected is None or element == 0 or nonnull == 0:
        success = True
    elif nonnull is None:
        success = (element - unexpected) / element >= mostly
    else:
        success = _mostly_success(nonnull, unexpected, mostly)
    output = _format_map_output(
        result_format=parse_result_format(RESULT_FORMAT),
        success=success,
        element_count=element,
        nonnull_count=nonnull,
        unexpected_count=unexpected,
    )
    return success, dict(output["result"])


class _Repeats:
    """Which rows of a column hold a value another row holds too, across every batch.

    16 bytes a row are kept, never a text: a number's own 64 bits (exact), or a 128-bit hash of a
    text (two different texts share one with a probability below 10**-20 for a billion rows),
    so a repeat between the first and the last batch is found in bounded memory.
    """

    _KEYS: Final = ("codesign-unique1", "codesign-unique2")

    def __init__(self) -> None:
        self.parts: list[Any] = []
        self._count: int | None = None

    def add(self, column: pd.Series) -> None:
        import numpy as np
        import pandas as pd
        from pandas.api import types

        present = column[column.notna()]
        if types.is_bool_dtype(present.dtype) or types.is_integer_dtype(present.dtype):
            self._numbers(present.to_numpy(dtype="int64"), tag=0)
        elif types.is_float_dtype(present.dtype):
            floats = present.to_numpy(dtype="float64")
            with np.errstate(invalid="ignore"):
                whole = np.isfinite(floats) & (np.floor(floats) == floats)
            whole &= np.abs(np.where(whole, floats, 0.0)) < 2.0**63
            # 5.0 in one batch and 5 in another are the same value: whole numbers as integers
            self._numbers(floats[whole].astype("int64"), tag=0)
            self._numbers(floats[~whole], tag=1)
        else:
            texts = present.astype("str").to_numpy(dtype=object)
            hashes = np.empty((len(texts), 2), dtype="uint64")
            for i, key in enumerate(self._KEYS):
                hashes[:, i] = pd.util.hash_array(texts, hash_key=key, categorize=False)
            self.parts.append(hashes)
            self._count = None

    def _numbers(self, values: Any, *, tag: int) -> None:
        """Numbers are kept exactly: their 64 bits, and whether they are integers or floats."""
        import numpy as np

        keys = np.empty((len(values), 2), dtype="uint64")
        keys[:, 0] = values.view("uint64")
        keys[:, 1] = tag
        self.parts.append(keys)
        self._count = None

    def count(self) -> int:
        """Rows whose value appears in another row (each of them counted).

        The first 64 bits of every key are sorted (a fast sort of plain integers); only the rows
        whose first half another row shares, the repeats and a rare collision, are then
        compared on their whole key.
        """
        import numpy as np

        if self._count is not None:
            return self._count
        if not self.parts:
            return 0
        keys = np.concatenate(self.parts)
        self.parts = [keys]
        first = np.sort(keys[:, 0])
        shared = np.unique(first[1:][first[1:] == first[:-1]])
        self._count = 0
        if shared.size:
            suspects = keys[np.isin(keys[:, 0], shared)]
            _, counts = np.unique(suspects.view("V16").ravel(), return_counts=True)
            self._count = int(counts[counts > 1].sum())
        return self._count


def _translate(source: Source, error: Exception) -> GovernanceError:
    from codesign.governance.sources import TableSource

    if isinstance(source, TableSource):
        return GovernanceError(source.describe_error(error))
    logger.debug("Great Expectations failed: %s", type(error).__name__)
    return GovernanceError(
        f"{source.display}: Great Expectations could not validate the data ({type(error).__name__})"
    )


def _context(gx: ModuleType, docs_dir: Path) -> Any:
    """An in-memory context whose only Data Docs site is ``docs_dir`` (no temporary site)."""
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )

    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(init_temp_docs_sites=False),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False, metric_calculations=False),
        data_docs_sites={
            SITE_NAME: {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {
                    "class_name": "TupleFilesystemStoreBackend",
                    "base_directory": str(docs_dir),
                },
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    return gx.get_context(mode="ephemeral", project_config=config)


def _batch_definition(context: Any, source: Source, batch: Batch) -> tuple[Any, dict[str, Any]]:
    from codesign.governance.sources import TableSource

    if isinstance(source, TableSource):
        datasource = context.data_sources.add_postgres(
            name="warehouse", connection_string=source.connection_url
        )
        if batch.stored_names:  # some column names could be data: checked under positions
            asset = datasource.add_query_asset(
                name=source.asset_name, query=source.select_shown(batch)
            )
        else:
            asset = datasource.add_table_asset(
                name=source.asset_name, table_name=source.table, schema_name=source.schema
            )
        return asset.add_batch_definition_whole_table("whole table"), {}
    datasource = context.data_sources.add_pandas(name="extract")
    asset = datasource.add_dataframe_asset(name=source.asset_name)
    return asset.add_batch_definition_whole_dataframe("whole file"), {"dataframe": batch.frame}


def _expectation(check: Check, index: int) -> Any:
    from great_expectations.expectations.registry import get_expectation_impl

    implementation = get_expectation_impl(check.expectation)
    return implementation(**check.kwargs, meta={_CHECK_META: index})


def _index(item: Any) -> int:
    """The position in the plan of the check an expectation result is for."""
    return int((item.expectation_config.meta or {})[_CHECK_META])


def _outcome(item: Any, checks: list[Check]) -> Outcome:
    check = checks[_index(item)]
    info = item.exception_info or {}
    raised = bool(info.get("raised_exception")) if isinstance(info, dict) else False
    if raised:
        logger.debug("%s raised while evaluating %s", check.expectation, check.column)
        raise unevaluated(check)
    result = dict(item.result or {})
    leaked = VALUE_KEYS & set(result) - ({"details"} if _is_structural(check) else set())
    if leaked:
        msg = f"refusing a result of {check.expectation} that keeps values ({sorted(leaked)})"
        raise GovernanceError(msg)
    return Outcome(check=check, success=bool(item.success), result=result)


def _is_structural(check: Check) -> bool:
    """Table-level checks report column names in ``details``, never values."""
    return check.column is None
