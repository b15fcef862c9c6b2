"""Resources are dependencies, not definitions: built once here from the settings and bound in
definitions.py. This is the only way settings reach assets, checks and sensors."""

from __future__ import annotations

from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource

from agentops_pipelines.resources.app_store import build_app_store
from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.gitops import build_gitops
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.resources.retrieval import build_search_backend
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.resources.warehouse import build_warehouse
from agentops_pipelines.settings import LLMSettings, Settings, get_settings
from agentops_pipelines.warehouse import DBT_PROJECT_DIR, dbt_executable

_LLM_VARIABLES = {
    name: str(field.validation_alias) for name, field in LLMSettings.model_fields.items()
}


def _bound(llm: LLMSettings, name: str) -> Any:
    """Keys are bound by variable name (Dagster shows the name, never the value); plain
    values are passed as they are; unset stays None (that provider is disabled)."""
    value = getattr(llm, name)
    if value is None:
        return None
    if hasattr(value, "get_secret_value"):
        return dg.EnvVar(_LLM_VARIABLES[name])
    return str(value)


def build_llm_router(settings: Settings) -> LLMRouterResource:
    llm = settings.llm
    return LLMRouterResource(
        db_url=settings.app_db_url,
        policy_path=str(llm.policy),
        openai_api_key=_bound(llm, "openai_api_key"),
        openai_base_url=_bound(llm, "openai_base_url"),
        mistral_api_key=_bound(llm, "mistral_api_key"),
        mistral_base_url=_bound(llm, "mistral_base_url"),
        compat_base_url=_bound(llm, "compat_base_url"),
        compat_api_key=_bound(llm, "compat_api_key"),
        compat_model=_bound(llm, "compat_model"),
        plan_limits=settings.plan_limits,
        workspace=settings.workspace,
    )


def build_resources(settings: Settings | None = None) -> dict[str, Any]:
    s = settings or get_settings()
    root = str(s.artefact_root)
    return {
        "io_manager": PydanticArtefactIOManager(root=root),
        "artefacts": ArtefactRoot(path=root, home=str(s.home)),
        "spec_source": SpecSource(path=str(s.specs_path)),
        "search": build_search_backend(s),
        "llm": build_llm_router(s),
        "gitops": build_gitops(s),
        "app_store": build_app_store(s),
        "warehouse": build_warehouse(s),
        "dbt": DbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(s.warehouse.dbt_profiles_dir),
            dbt_executable=dbt_executable(),
        ),
    }
