"""The whole code location loads and holds what the design names."""

import dagster as dg

from agentops_pipelines.defs.partitions import SPEC_PARTITIONS_NAME


def test_code_location_loads_with_expected_definitions(agentops_home):
    from agentops_pipelines.definitions import defs

    loaded = defs()
    graph = loaded.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    per_spec = {
        "raw_spec",
        "spec_document",
        "spec_chunks",
        "spec_embeddings",
        "search_index",
        "technical_plan",
        "task_graph",
        "generated_code",
        "test_results",
        "qa_scores",
        "pull_request",
    }
    assert per_spec <= keys
    # the warehouse (extracts, dbt staging/marts, weekly report) beside the per-spec chain
    assert {"app_store/llm_ledger", "dagster/dagster_runs", "weekly_kpi_report"} <= keys
    assert {"stg_llm__ledger", "fct_llm_cost_daily", "fct_spec_completion_daily"} <= keys

    for name in per_spec:
        partitions = graph.get(dg.AssetKey(name)).partitions_def
        assert isinstance(partitions, dg.DynamicPartitionsDefinition)
        assert partitions.name == SPEC_PARTITIONS_NAME

    checks = {key.name for key in graph.asset_check_keys}
    assert {"spec_parses", "acceptance_criteria_present", "clarifications_resolved"} <= checks
    assert {"test_results_expectations", "qa_rule_must_has_passing_test"} <= checks
    assert {"task_graph_valid", "alert_budget_over_80pct", "unique_stg_llm__ledger_ledger_id"} <= (
        checks
    )

    assert loaded.resolve_sensor_def("spec_source_sensor") is not None
    assert loaded.resolve_sensor_def("spec_automation_sensor") is not None
    assert loaded.resolve_sensor_def("spec_push_sensor") is not None
    assert loaded.resolve_sensor_def("ci_results_sensor") is not None
    for schedule in ("warehouse_daily_schedule", "metrics_daily_schedule"):
        assert loaded.resolve_schedule_def(schedule) is not None
    assert loaded.resolve_job_def("spec_ingest_job") is not None
    assert {"io_manager", "artefacts", "spec_source", "search", "llm", "gitops", "dbt"} <= set(
        loaded.resources or {}
    )
