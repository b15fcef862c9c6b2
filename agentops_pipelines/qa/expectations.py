"""Great Expectations suite over the `test_results` table: the evidence itself must be sane.

Non-null test IDs, statuses from the known set, durations >= 0. GX is imported lazily because
its import takes seconds; only the asset check pays for it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from agentops_pipelines.qa.results import STATUSES, TestResults

COLUMNS = ("test_id", "status", "duration", "origin", "evidence")


class ExpectationOutcome(BaseModel):
    expectation: str
    column: str
    success: bool
    unexpected_count: int = 0
    unexpected_values: list[Any] = []


class SuiteOutcome(BaseModel):
    success: bool
    rows: int
    outcomes: list[ExpectationOutcome]


def results_frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    return pd.DataFrame(rows, columns=list(COLUMNS))


def rows_of(results: TestResults) -> list[dict[str, Any]]:
    return [r.model_dump(include=set(COLUMNS)) for r in results.records]


def validate_test_results(rows: list[dict[str, Any]]) -> SuiteOutcome:
    """Run the suite on the rows (dicts with COLUMNS); an empty table is valid."""
    import great_expectations as gx
    import great_expectations.expectations as gxe

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}  # type: ignore[assignment]
    source = context.data_sources.add_pandas("agentops_qa")
    batch_definition = source.add_dataframe_asset(
        "test_results"
    ).add_batch_definition_whole_dataframe("all_rows")
    suite = gx.ExpectationSuite(name="test_results_suite")
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="test_id"))
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="status"))
    suite.add_expectation(
        gxe.ExpectColumnValuesToBeInSet(column="status", value_set=list(STATUSES))
    )
    suite.add_expectation(gxe.ExpectColumnValuesToNotBeNull(column="duration"))
    suite.add_expectation(gxe.ExpectColumnValuesToBeBetween(column="duration", min_value=0))
    batch = batch_definition.get_batch(batch_parameters={"dataframe": results_frame(rows)})
    validation = batch.validate(suite, result_format="COMPLETE")
    outcomes = []
    for r in validation.results:
        config = r.expectation_config
        unexpected = r.result.get("partial_unexpected_list") or []
        outcomes.append(
            ExpectationOutcome(
                expectation=config.type if config else "unknown",
                column=str(config.kwargs.get("column", "")) if config else "",
                success=bool(r.success),
                unexpected_count=int(r.result.get("unexpected_count") or 0),
                unexpected_values=[str(v) for v in unexpected][:10],
            )
        )
    return SuiteOutcome(success=bool(validation.success), rows=len(rows), outcomes=outcomes)
