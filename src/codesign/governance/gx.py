"""Running the plan through Great Expectations: context, data source, suite, checkpoint, docs.

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
from typing import TYPE_CHECKING, Any, Final

from codesign.config import quiet_telemetry
from codesign.exceptions import GovernanceError

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from types import ModuleType

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


def validate(source: Source, batch: Batch, checks: list[Check], docs_dir: Path) -> list[Outcome]:
    """Run ``checks`` on the batch through a Great Expectations checkpoint; build Data Docs.

    Raises :class:`GovernanceError` when an expectation could not be evaluated (its message is
    not repeated: it could quote a value) or when a result holds anything but counts.
    """
    gx = load()
    with _library_quiet():
        context = _context(gx, docs_dir)
        batch_definition, parameters = _batch_definition(context, source, batch)
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


def _outcome(item: Any, checks: list[Check]) -> Outcome:
    config = item.expectation_config
    index = int((config.meta or {})[_CHECK_META])
    check = checks[index]
    info = item.exception_info or {}
    raised = bool(info.get("raised_exception")) if isinstance(info, dict) else False
    if raised:
        where = f" on column {check.column}" if check.column else ""
        logger.debug("%s raised while evaluating %s", check.expectation, check.column)
        msg = f"Great Expectations could not evaluate {check.expectation}{where}"
        raise GovernanceError(msg)
    result = dict(item.result or {})
    leaked = VALUE_KEYS & set(result) - ({"details"} if _is_structural(check) else set())
    if leaked:
        msg = f"refusing a result of {check.expectation} that keeps values ({sorted(leaked)})"
        raise GovernanceError(msg)
    return Outcome(check=check, success=bool(item.success), result=result)


def _is_structural(check: Check) -> bool:
    """Table-level checks report column names in ``details``, never values."""
    return check.column is None
