"""The Dagster resource: offline with no keys, usage attached to materialisation metadata."""

import dagster as dg

from agentops_pipelines.llm import LLMRequest, Message
from agentops_pipelines.resources.llm import LLMRouterResource
from tests.support.llm_test_support import SECRET_MISTRAL


def test_resource_offline_and_usage_in_materialisation_metadata(tmp_path):
    @dg.asset
    def llm_summary(context: dg.AssetExecutionContext, llm: LLMRouterResource) -> None:
        router = llm.get_router()
        request = LLMRequest(
            task_type="summary",
            messages=[Message(role="user", content="Spec: users export invoices")],
            run_id=context.run_id,
        )
        router.complete(request)
        router.complete(request)  # cache hit
        context.add_output_metadata(llm.usage_metadata(context.run_id))

    resource = LLMRouterResource(db_url=f"sqlite:///{tmp_path / 'app.db'}")
    result = dg.materialize([llm_summary], resources={"llm": resource})
    assert result.success
    (mat,) = result.asset_materializations_for_node("llm_summary")
    meta = {k: v.value for k, v in mat.metadata.items()}
    assert meta["llm_calls"] == 1 and meta["llm_cache_hits"] == 1
    assert meta["llm_cost_usd"] == 0.0 and meta["llm_providers"] == ["offline"]
    assert meta["llm_breakers"]["mistral"] == "closed"


def test_resource_with_key_routes_to_mistral(tmp_path, mistral_server):
    resource = LLMRouterResource(
        db_url=f"sqlite:///{tmp_path / 'app.db'}",
        mistral_api_key=SECRET_MISTRAL,
        mistral_base_url=mistral_server.base_url,
    )
    router = resource.get_router()
    assert router is resource.get_router()
    result = router.complete(
        LLMRequest(task_type="review", messages=[Message(role="user", content="diff")])
    )
    assert result.provider == "mistral" and result.data["verdict"] == "comment"
