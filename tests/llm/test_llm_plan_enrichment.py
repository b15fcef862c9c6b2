"""Plan prose enrichment through the router, against a local OpenAI-compatible server."""

from __future__ import annotations

import json

import dagster as dg

from agentops_pipelines.defs.assets.planning import PlanConfig, technical_plan
from agentops_pipelines.resources.llm import LLMRouterResource
from tests.support.llm_fake_servers import FakeChatServer
from tests.support.planning_factories import spec_doc


def _enriched(body: dict) -> str:
    draft = next(m["content"] for m in body["messages"] if m["role"] == "user")
    return json.dumps({"text": "Enriched by the model. " + draft})


def _plan(llm: LLMRouterResource, enrich: bool):
    return technical_plan(
        context=dg.build_asset_context(),
        spec_document=spec_doc(),
        config=PlanConfig(template="rest_service", enrich_with_llm=enrich),
        llm=llm,
    )


def test_sections_rewritten_by_a_real_model_are_marked_and_costed(tmp_path):
    with FakeChatServer("openai", content_fn=_enriched) as server:
        llm = LLMRouterResource(
            db_url=f"sqlite:///{tmp_path / 'app.db'}",
            openai_api_key="sk-test-enrichment-0000000000000000",
            openai_base_url=server.base_url,
        )
        out = _plan(llm, enrich=True)
    plan = out.value
    assert plan.llm_enriched
    assert all(s.source == "llm" for s in plan.sections)
    assert all(s.markdown.startswith("Enriched by the model.") for s in plan.sections)
    assert len(server.requests) == len(plan.sections)
    assert out.metadata["llm_enriched"].value is True
    assert out.metadata["llm_usage"].value["llm_calls"] == len(plan.sections)
    assert "sk-test-enrichment" not in json.dumps({k: str(v) for k, v in out.metadata.items()})


def test_offline_router_leaves_the_template_prose_unmarked(tmp_path):
    llm = LLMRouterResource(db_url=f"sqlite:///{tmp_path / 'app.db'}")
    plan = _plan(llm, enrich=True).value
    assert not plan.llm_enriched
    assert {s.source for s in plan.sections} == {"template"}
