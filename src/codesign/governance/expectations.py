"""Great Expectations expectations and metrics the data contract needs beyond the built-in ones.

- :class:`ExpectColumnValuesToContainNoPhi`: a value must hold no identifier of one category
  (``phi.phone`` ...). On pandas, one metric scans a column for every category at once
  (:func:`codesign.governance.phi.scan_strings`: two RE2 screens) and each category's expectation
  reads its mask; on PostgreSQL each category is a ``~`` condition (and an in-database check of
  the NIR key), so the work runs where the data is and no value leaves the database.
- :class:`ExpectColumnValuesToMatchContractType`: a value must be of the contract's type
  (integer, number, boolean, date, datetime), judged the same way on a pandas column and on a
  database column rendered as text.
- :class:`ExpectColumnValuesToBeBetweenWhenPresent` and its siblings for allowed values and
  uniqueness: the built-ins, without copying the whole batch per expectation.
- :class:`ExpectTableColumnsToBeDeclared` and :class:`ExpectColumnToBeAbsent`: no column the
  contract does not declare, no column it forbids.

The map expectations never filter null rows out of the frame (Great Expectations' default copies
the whole batch once per expectation for that); they treat nulls as conforming instead. Their
pandas conditions are plain functions of :mod:`codesign.governance.conditions`, which also counts
a batch without Great Expectations (the streamed batches before the last).

This module imports Great Expectations at import time: import it through
:func:`codesign.governance.gx.load`, which switches analytics off first.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, ClassVar, Final

from codesign.config import quiet_telemetry

quiet_telemetry()  # a guard: whoever imports this module, Great Expectations must not phone home

from great_expectations.execution_engine.pandas_execution_engine import (  # noqa: E402
    PandasExecutionEngine,
)
from great_expectations.execution_engine.sqlalchemy_execution_engine import (  # noqa: E402
    SqlAlchemyExecutionEngine,
)
from great_expectations.expectations.core.expect_column_values_to_be_between import (  # noqa: E402
    ExpectColumnValuesToBeBetween,
)
from great_expectations.expectations.core.expect_column_values_to_be_in_set import (  # noqa: E402
    ExpectColumnValuesToBeInSet,
)
from great_expectations.expectations.core.expect_column_values_to_be_unique import (  # noqa: E402
    ExpectColumnValuesToBeUnique,
)
from great_expectations.expectations.expectation import (  # noqa: E402
    BatchExpectation,
    ColumnMapExpectation,
)
from great_expectations.expectations.metrics.column_aggregate_metric_provider import (  # noqa: E402
    ColumnAggregateMetricProvider,
    column_aggregate_value,
)
from great_expectations.expectations.metrics.map_metric_provider.column_condition_partial import (  # noqa: E402
    column_condition_partial,
)
from great_expectations.expectations.metrics.map_metric_provider.column_map_metric_provider import (  # noqa: E402
    ColumnMapMetricProvider,
)
from great_expectations.render.components import (  # noqa: E402
    LegacyRendererType,
    RenderedStringTemplateContent,
)
from great_expectations.render.renderer.renderer import renderer  # noqa: E402
from great_expectations.validator.metric_configuration import MetricConfiguration  # noqa: E402

from codesign.charter.model import ColumnType  # noqa: E402
from codesign.governance import conditions  # noqa: E402
from codesign.governance.conditions import TYPE_PATTERNS  # noqa: E402
from codesign.project import CATEGORY_LABELS  # noqa: E402

if TYPE_CHECKING:
    import pandas as pd
    import sqlalchemy as sa
    from great_expectations.core.expectation_validation_result import (
        ExpectationValidationResult,
    )
    from great_expectations.expectations.expectation_configuration import (
        ExpectationConfiguration,
    )

logger = logging.getLogger(__name__)

PHI_SCAN_METRIC: Final = "column.codesign_phi_scan"
NO_PHI_METRIC: Final = "column_values.codesign_no_phi"
TYPE_METRIC: Final = "column_values.codesign_contract_type"


def _kwargs_of(configuration: ExpectationConfiguration | None) -> dict[str, Any]:
    return dict(configuration.kwargs) if configuration is not None else {}


def _sentence(template: str, params: dict[str, Any]) -> list[RenderedStringTemplateContent]:
    return [
        RenderedStringTemplateContent(
            content_block_type="string_template",
            string_template={"template": template, "params": params, "styling": {}},
        )
    ]


# --- PHI ----------------------------------------------------------------------------------------


class ColumnPhiScan(ColumnAggregateMetricProvider):
    """Per category, which values of a column hold identifiers (pandas: one pass for all)."""

    metric_name = PHI_SCAN_METRIC
    filter_column_isnull = False

    @column_aggregate_value(engine=PandasExecutionEngine, filter_column_isnull=False)
    def _pandas(
        cls,
        column: pd.Series,
        **_kwargs: Any,
    ) -> dict[str, Any]:
        return conditions.phi_masks(column)


class ColumnValuesNoPhi(ColumnMapMetricProvider):
    """A value holds no identifier of ``category``."""

    condition_metric_name = NO_PHI_METRIC
    condition_value_keys = ("category",)
    filter_column_isnull = False

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column: pd.Series,
        category: str,
        **kwargs: Any,
    ) -> pd.Series:
        import pandas as pd

        masks = kwargs["_metrics"][PHI_SCAN_METRIC]
        return pd.Series(~masks[category], index=column.index)

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(
        cls,
        column: sa.ColumnClause[Any],
        category: str,
        **_kwargs: Any,
    ) -> Any:
        from codesign.governance.sql import no_phi_condition

        return no_phi_condition(column, category)

    @classmethod
    def _get_evaluation_dependencies(
        cls,
        metric: MetricConfiguration,
        configuration: Any = None,
        execution_engine: Any = None,
        runtime_configuration: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        dependencies: dict[str, Any] = super()._get_evaluation_dependencies(
            metric=metric,
            configuration=configuration,
            execution_engine=execution_engine,
            runtime_configuration=runtime_configuration,
        )
        if metric.metric_name == f"{NO_PHI_METRIC}.condition" and isinstance(
            execution_engine, PandasExecutionEngine
        ):
            dependencies[PHI_SCAN_METRIC] = MetricConfiguration(
                metric_name=PHI_SCAN_METRIC, metric_domain_kwargs=metric.metric_domain_kwargs
            )
        return dependencies


class ExpectColumnValuesToContainNoPhi(ColumnMapExpectation):
    """Values of the column hold no identifying information of one category.

    ``category`` is one of ``phi.nir phi.phone phi.email phi.name phi.address phi.birthdate``.
    The result keeps the count of values holding one, never the values.
    """

    category: str
    map_metric = NO_PHI_METRIC
    success_keys: ClassVar[tuple[str, ...]] = ("category", "mostly")
    args_keys: ClassVar[tuple[str, ...]] = ("column", "category")

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(
        cls,
        configuration: ExpectationConfiguration | None = None,
        result: ExpectationValidationResult | None = None,
        runtime_configuration: dict[Any, Any] | None = None,
    ) -> list[RenderedStringTemplateContent]:
        kwargs = _kwargs_of(configuration)
        category = str(kwargs.get("category", ""))
        return _sentence(
            "$column values must contain no $what.",
            {
                "column": kwargs.get("column"),
                "what": CATEGORY_LABELS.get(category, category),
            },
        )


# --- types --------------------------------------------------------------------------------------


class ColumnValuesMatchContractType(ColumnMapMetricProvider):
    """A value is of the contract type ``contract_type`` (nulls conform)."""

    condition_metric_name = TYPE_METRIC
    condition_value_keys = ("contract_type",)
    filter_column_isnull = False

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column: pd.Series,
        contract_type: str,
        **_kwargs: Any,
    ) -> pd.Series:
        return conditions.conforms_to_type(column, ColumnType(contract_type))

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(
        cls,
        column: sa.ColumnClause[Any],
        contract_type: str,
        **_kwargs: Any,
    ) -> Any:
        from codesign.governance.sql import type_condition

        return type_condition(column, TYPE_PATTERNS[ColumnType(contract_type)], contract_type)


class ExpectColumnValuesToMatchContractType(ColumnMapExpectation):
    """Values of the column are of the data contract's type (integer, number, boolean, date...)."""

    contract_type: str
    map_metric = TYPE_METRIC
    success_keys: ClassVar[tuple[str, ...]] = ("contract_type", "mostly")
    args_keys: ClassVar[tuple[str, ...]] = ("column", "contract_type")

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(
        cls,
        configuration: ExpectationConfiguration | None = None,
        result: ExpectationValidationResult | None = None,
        runtime_configuration: dict[Any, Any] | None = None,
    ) -> list[RenderedStringTemplateContent]:
        kwargs = _kwargs_of(configuration)
        return _sentence(
            "$column values must be of type $contract_type.",
            {"column": kwargs.get("column"), "contract_type": kwargs.get("contract_type")},
        )


# --- ranges, allowed values, uniqueness ----------------------------------------------------------
#
# The column-wise metrics' partials are bound as class methods by Great Expectations' decorators.
# Great Expectations' own pandas metrics for these copy the whole batch to drop null rows, once
# per expectation and once more for the (discarded) unexpected values: on a four-million-row,
# twenty-column extract that copying alone costs more than the checks. These expectations keep
# the built-ins' arguments, semantics (a null is neither expected nor unexpected) and Data Docs
# rendering, and compute the condition column-wise instead.

BETWEEN_METRIC: Final = "column_values.codesign_between"
IN_SET_METRIC: Final = "column_values.codesign_in_set"
UNIQUE_METRIC: Final = "column_values.codesign_unique"


class ColumnValuesBetweenNullsPass(ColumnMapMetricProvider):
    """``min_value <= value <= max_value`` (strict bounds if asked); nulls conform."""

    condition_metric_name = BETWEEN_METRIC
    condition_value_keys = ("min_value", "max_value", "strict_min", "strict_max")
    filter_column_isnull = False

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(
        cls,
        column: pd.Series,
        min_value: float | None = None,
        max_value: float | None = None,
        strict_min: bool = False,
        strict_max: bool = False,
        **_kwargs: Any,
    ) -> pd.Series:
        return conditions.between(column, min_value, max_value, strict_min, strict_max)

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(
        cls,
        column: Any,
        min_value: float | None = None,
        max_value: float | None = None,
        strict_min: bool = False,
        strict_max: bool = False,
        **_kwargs: Any,
    ) -> Any:
        import sqlalchemy as sa

        bounds = []
        if min_value is not None:
            bounds.append(column > min_value if strict_min else column >= min_value)
        if max_value is not None:
            bounds.append(column < max_value if strict_max else column <= max_value)
        return sa.or_(column.is_(None), sa.and_(*bounds))


class ColumnValuesInSetNullsPass(ColumnMapMetricProvider):
    """The value is one of ``value_set``; nulls conform."""

    condition_metric_name = IN_SET_METRIC
    condition_value_keys = ("value_set",)
    filter_column_isnull = False

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, value_set: list[Any], **_kwargs: Any) -> pd.Series:
        return conditions.in_set(column, value_set)

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, column: Any, value_set: list[Any], **_kwargs: Any) -> Any:
        import sqlalchemy as sa

        return sa.or_(column.is_(None), column.in_(value_set))


class ColumnValuesUniqueNullsPass(ColumnMapMetricProvider):
    """No other row holds the same value; nulls conform."""

    condition_metric_name = UNIQUE_METRIC
    filter_column_isnull = False

    @column_condition_partial(engine=PandasExecutionEngine)
    def _pandas(cls, column: pd.Series, **_kwargs: Any) -> pd.Series:
        return conditions.unique(column)

    @column_condition_partial(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, column: Any, _table: Any, **_kwargs: Any) -> Any:
        import sqlalchemy as sa

        repeated = (
            sa.select(column)
            .select_from(_table)
            .where(column.is_not(None))
            .group_by(column)
            .having(sa.func.count() > 1)
        )
        return sa.or_(column.is_(None), column.not_in(repeated))


class ExpectColumnValuesToBeBetweenWhenPresent(ExpectColumnValuesToBeBetween):
    """``expect_column_values_to_be_between``, computed column-wise (see above)."""

    map_metric = BETWEEN_METRIC


class ExpectColumnValuesToBeInSetWhenPresent(ExpectColumnValuesToBeInSet):
    """``expect_column_values_to_be_in_set``, computed column-wise (see above)."""

    map_metric = IN_SET_METRIC


class ExpectColumnValuesToBeUniqueWhenPresent(ExpectColumnValuesToBeUnique):
    """``expect_column_values_to_be_unique``, computed column-wise (see above)."""

    map_metric = UNIQUE_METRIC


# --- structure ----------------------------------------------------------------------------------


class ExpectTableColumnsToBeDeclared(BatchExpectation):
    """Every column of the data is declared in the contract (declared ones may be absent)."""

    column_set: list[str]
    metric_dependencies = ("table.columns",)
    domain_keys: ClassVar[tuple[str, ...]] = ("batch_id",)
    success_keys: ClassVar[tuple[str, ...]] = ("column_set",)
    args_keys: ClassVar[tuple[str, ...]] = ("column_set",)

    def _validate(
        self,
        metrics: dict[str, Any],
        runtime_configuration: Any = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        declared = set(self._get_success_kwarg("column_set"))
        undeclared = sorted(str(c) for c in metrics["table.columns"] if str(c) not in declared)
        return {"success": not undeclared, "result": {"observed_value": undeclared}}

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(
        cls,
        configuration: ExpectationConfiguration | None = None,
        result: ExpectationValidationResult | None = None,
        runtime_configuration: dict[Any, Any] | None = None,
    ) -> list[RenderedStringTemplateContent]:
        kwargs = _kwargs_of(configuration)
        columns = kwargs.get("column_set") or []
        return _sentence(
            "Every column must be declared in the data contract ($count declared columns).",
            {"count": len(columns)},
        )


class ExpectColumnToBeAbsent(BatchExpectation):
    """A column the contract forbids (``phi: forbidden``) is not in the data at all."""

    column: str
    metric_dependencies = ("table.columns",)
    domain_keys: ClassVar[tuple[str, ...]] = ("batch_id",)
    success_keys: ClassVar[tuple[str, ...]] = ("column",)
    args_keys: ClassVar[tuple[str, ...]] = ("column",)

    def _validate(
        self,
        metrics: dict[str, Any],
        runtime_configuration: Any = None,
        execution_engine: Any = None,
    ) -> dict[str, Any]:
        present = self._get_success_kwarg("column") in {str(c) for c in metrics["table.columns"]}
        return {
            "success": not present,
            "result": {"observed_value": "present" if present else "absent"},
        }

    @classmethod
    @renderer(renderer_type=LegacyRendererType.PRESCRIPTIVE)
    def _prescriptive_renderer(
        cls,
        configuration: ExpectationConfiguration | None = None,
        result: ExpectationValidationResult | None = None,
        runtime_configuration: dict[Any, Any] | None = None,
    ) -> list[RenderedStringTemplateContent]:
        kwargs = _kwargs_of(configuration)
        return _sentence(
            "$column is forbidden by the data contract and must not be in the data.",
            {"column": kwargs.get("column")},
        )
