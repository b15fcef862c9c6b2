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


def test_per_spec_runs_are_cheap_and_retried(agentops_home):
    """One process per run (in-process executor), retries on the steps touching the outside,
    and an instance config that retries runs that die without a failure event."""
    import yaml

    from agentops_pipelines.cli.ingest import DEFAULT_INSTANCE_YAML
    from agentops_pipelines.definitions import defs
    from agentops_pipelines.settings import PROJECT_ROOT

    loaded = defs()
    for name in ("spec_ingest_job", "spec_pipeline_job"):
        assert loaded.resolve_job_def(name).executor_def.name == "in_process"
    by_key = {
        key.to_user_string(): a
        for a in loaded.assets or []
        if isinstance(a, dg.AssetsDefinition)
        for key in a.keys
    }
    for name in ("generated_code", "test_results", "pull_request"):
        policy = by_key[name].op.retry_policy
        assert policy is not None and policy.max_retries >= 1, name
    assert by_key["spec_document"].op.retry_policy is None  # pure parsing: no retry
    for text in (DEFAULT_INSTANCE_YAML, (PROJECT_ROOT / "deploy/dagster/dagster.yaml").read_text()):
        config = yaml.safe_load(text)
        assert config["run_retries"]["enabled"] is True and config["run_retries"]["max_retries"] > 0
        assert config["run_monitoring"]["enabled"] is True
