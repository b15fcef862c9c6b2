"""Build the enabled providers from the policy and the LLM settings; a missing key disables a
provider with a clear reason instead of failing at import."""

from __future__ import annotations

from agentops_pipelines.llm.policy import Policy
from agentops_pipelines.llm.providers.base import Provider
from agentops_pipelines.llm.providers.offline import OFFLINE_MODEL, OfflineProvider
from agentops_pipelines.settings import LLMSettings

# The providers' keys and URLs are declared once, in the settings model.
ProviderSettings = LLMSettings


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
            if settings.openai_api_key is None:
                disabled[name] = "OPENAI_API_KEY is not set; set it to enable OpenAI routes"
                continue
            from agentops_pipelines.llm.providers.openai_provider import OpenAIProvider

            enabled[name] = OpenAIProvider(
                name,
                "openai",
                settings.openai_api_key.get_secret_value(),
                settings.openai_base_url,
                structured_output=spec.structured_output,
            )
        elif spec.kind == "mistral":
            if settings.mistral_api_key is None:
                disabled[name] = "MISTRAL_API_KEY is not set; set it to enable Mistral routes"
                continue
            from agentops_pipelines.llm.providers.mistral_provider import MistralProvider

            enabled[name] = MistralProvider(
                name, settings.mistral_api_key.get_secret_value(), settings.mistral_base_url
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
                settings.key("compat_api_key") or "local",
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
