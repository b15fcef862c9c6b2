"""Build the enabled providers from the policy and the environment; a missing key disables a
provider with a clear reason instead of failing at import."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel

from agentops_pipelines.llm.policy import Policy
from agentops_pipelines.llm.providers.base import Provider
from agentops_pipelines.llm.providers.offline import OFFLINE_MODEL, OfflineProvider


class ProviderSettings(BaseModel):
    """Keys and URLs; `repr` hides the keys so they never reach logs or metadata."""

    openai_api_key: str | None = None
    openai_base_url: str | None = None
    mistral_api_key: str | None = None
    mistral_base_url: str | None = None
    compat_base_url: str | None = None
    compat_api_key: str | None = None
    compat_model: str | None = None

    def __repr_args__(self):
        return [(k, "***" if "key" in k and v else v) for k, v in self.__dict__.items()]

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ProviderSettings:
        env = os.environ if env is None else env
        return cls(
            openai_api_key=env.get("OPENAI_API_KEY") or None,
            openai_base_url=env.get("OPENAI_BASE_URL") or None,
            mistral_api_key=env.get("MISTRAL_API_KEY") or None,
            mistral_base_url=env.get("MISTRAL_BASE_URL") or None,
            compat_base_url=env.get("AGENTOPS_OPENAI_COMPAT_BASE_URL") or None,
            compat_api_key=env.get("AGENTOPS_OPENAI_COMPAT_API_KEY") or None,
            compat_model=env.get("AGENTOPS_OPENAI_COMPAT_MODEL") or None,
        )


def build_providers(
    policy: Policy, settings: ProviderSettings
) -> tuple[dict[str, Provider], dict[str, str], dict[str, str]]:
    """Return (enabled providers, default model per provider, reason per disabled provider)."""
    enabled: dict[str, Provider] = {}
    models: dict[str, str] = {}
    disabled: dict[str, str] = {}
    for name, spec in policy.providers.items():
        model = spec.default_model
        if spec.kind == "offline":
            enabled[name], models[name] = OfflineProvider(name), model or OFFLINE_MODEL
            continue
        if spec.kind == "openai":
            if not settings.openai_api_key:
                disabled[name] = "OPENAI_API_KEY is not set; set it to enable OpenAI routes"
                continue
            from agentops_pipelines.llm.providers.openai_provider import OpenAIProvider

            enabled[name] = OpenAIProvider(
                name,
                "openai",
                settings.openai_api_key,
                settings.openai_base_url,
                structured_output=spec.structured_output,
            )
        elif spec.kind == "mistral":
            if not settings.mistral_api_key:
                disabled[name] = "MISTRAL_API_KEY is not set; set it to enable Mistral routes"
                continue
            from agentops_pipelines.llm.providers.mistral_provider import MistralProvider

            enabled[name] = MistralProvider(
                name, settings.mistral_api_key, settings.mistral_base_url
            )
        else:
            if not settings.compat_base_url:
                disabled[name] = (
                    "AGENTOPS_OPENAI_COMPAT_BASE_URL is not set; set it (e.g. "
                    "http://localhost:11434/v1 for Ollama) to enable the local model route"
                )
                continue
            from agentops_pipelines.llm.providers.openai_provider import OpenAIProvider

            enabled[name] = OpenAIProvider(
                name,
                "openai_compat",
                settings.compat_api_key or "local",
                settings.compat_base_url,
                structured_output=spec.structured_output,
            )
            model = settings.compat_model or model
        if not model:
            enabled.pop(name)
            disabled[name] = f"provider '{name}' has no default_model in the policy"
            continue
        models[name] = model
    return enabled, models, disabled
