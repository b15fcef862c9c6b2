"""Resources are dependencies, not definitions: built once here and bound in definitions.py."""

from __future__ import annotations

import os
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource

from agentops_pipelines.resources.artefact_io import PydanticArtefactIOManager
from agentops_pipelines.resources.gitops import build_gitops
from agentops_pipelines.resources.llm import LLMRouterResource
from agentops_pipelines.resources.retrieval import build_search_backend
from agentops_pipelines.resources.spec_source import ArtefactRoot, SpecSource
from agentops_pipelines.settings import Settings, load_settings
from agentops_pipelines.warehouse import DBT_PROJECT_DIR, dbt_executable, dbt_profiles_dir


def _secret(name: str) -> dg.EnvVar | None:
    """Bind a key by name (Dagster shows the name, never the value); unset means disabled."""
    return dg.EnvVar(name) if os.environ.get(name) else None


def build_llm_router(settings: Settings) -> LLMRouterResource:
    return LLMRouterResource(
        db_url=settings.app_db_url,
        openai_api_key=_secret("OPENAI_API_KEY"),
        openai_base_url=os.environ.get("OPENAI_BASE_URL"),
        mistral_api_key=_secret("MISTRAL_API_KEY"),
        mistral_base_url=os.environ.get("MISTRAL_BASE_URL"),
        compat_base_url=os.environ.get("AGENTOPS_OPENAI_COMPAT_BASE_URL"),
        compat_api_key=_secret("AGENTOPS_OPENAI_COMPAT_API_KEY"),
        compat_model=os.environ.get("AGENTOPS_OPENAI_COMPAT_MODEL"),
        plan_limits=settings.plan_limits,
        workspace=settings.workspace,
    )


def build_resources(settings: Settings | None = None) -> dict[str, Any]:
    s = settings or load_settings()
    root = str(s.artefact_root)
    return {
        "io_manager": PydanticArtefactIOManager(root=root),
        "artefacts": ArtefactRoot(path=root),
        "spec_source": SpecSource(path=str(s.specs_path)),
        "search": build_search_backend(root),
        "llm": build_llm_router(s),
        "gitops": build_gitops(s.app_db_url, str(s.home)),
        "dbt": DbtCliResource(
            project_dir=str(DBT_PROJECT_DIR),
            profiles_dir=str(dbt_profiles_dir()),
            dbt_executable=dbt_executable(),
        ),
    }
