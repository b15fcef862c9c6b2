"""The Great Expectations suite over the test_results table."""

from __future__ import annotations

from agentops_pipelines.qa.expectations import validate_test_results

GOOD = {"test_id": "a::b", "status": "passed", "duration": 0.1, "origin": "repo", "evidence": "x"}


def test_valid_rows_and_empty_table_pass() -> None:
    assert validate_test_results([GOOD, {**GOOD, "status": "xfail", "duration": 0.0}]).success
    assert validate_test_results([]).success


def test_null_ids_bad_statuses_and_negative_durations_fail() -> None:
    rows = [
        GOOD,
        {**GOOD, "test_id": None},
        {**GOOD, "status": "exploded"},
        {**GOOD, "duration": -1.0},
    ]
    outcome = validate_test_results(rows)
    assert not outcome.success
    failed = {(o.expectation, o.column): o for o in outcome.outcomes if not o.success}
    assert set(failed) == {
        ("expect_column_values_to_not_be_null", "test_id"),
        ("expect_column_values_to_be_in_set", "status"),
        ("expect_column_values_to_be_between", "duration"),
    }
    assert failed[("expect_column_values_to_be_in_set", "status")].unexpected_values == ["exploded"]
    assert all(o.unexpected_count == 1 for o in failed.values())
