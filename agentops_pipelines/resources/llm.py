"""`LLMRouterResource`: the configured door to every LLM provider, used by assets.

Keys are plain `str | None` fields so `build_resources()` binds them with `dg.EnvVar(...)`; an
unset key disables that provider (see `Router.provider_status()`), never fails the load.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr, SecretStr

from agentops_pipelines.llm.router import Router, build_router
from agentops_pipelines.llm.usage import usage_summary
from agentops_pipelines.settings import LLMSettings

DEFAULT_POLICY = Path(__file__).resolve().parents[2] / "config" / "llm_policy.yaml"


class LLMRouterResource(dg.ConfigurableResource):
    """Routes every task type by the policy file and records each call in the ledger."""

    db_url: str
    policy_path: str = str(DEFAULT_POLICY)
    openai_api_key: str | None = None
    openai_base_url: str | None = None
    mistral_api_key: str | None = None
    mistral_base_url: str | None = None
    compat_base_url: str | None = None
    compat_api_key: str | None = None
    compat_model: str | None = None
    # With plan limits on, the workspace's budget is capped at its plan's before the first call.
    plan_limits: bool = False
    workspace: str = "default"

    _router: Router | None = PrivateAttr(default=None)

    def get_router(self) -> Router:
        """Built once per resource instance: breakers and rate limits live in the router."""
        if self._router is None:
            settings = LLMSettings(
                policy=Path(self.policy_path),
                openai_api_key=_secret(self.openai_api_key),
                openai_base_url=self.openai_base_url,
                mistral_api_key=_secret(self.mistral_api_key),
                mistral_base_url=self.mistral_base_url,
                compat_base_url=self.compat_base_url,
                compat_api_key=_secret(self.compat_api_key),
                compat_model=self.compat_model,
            )
            self._router = build_router(self.policy_path, self.db_url, settings)
            if self.plan_limits:
                from agentops_pipelines.billing.limits import ensure_plan_budget
                from agentops_pipelines.store.db import open_store  # the one session factory

                ensure_plan_budget(open_store(self.db_url), self.workspace)
        return self._router

    def usage_metadata(self, run_id: str) -> dict[str, object]:
        """Attach to the materialisation: `context.add_output_metadata(llm.usage_metadata(
        context.run_id))`. Plain values only; no key ever appears."""
        return usage_summary(self.get_router(), run_id)


def _secret(value: str | None) -> SecretStr | None:
    return SecretStr(value) if value else None
