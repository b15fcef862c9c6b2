"""Every setting AgentOps reads from the environment, in one pydantic-settings model.

This is the only module that reads the process environment. Each group holds one domain's
variables (store, warehouse, llm, retrieval, git, auth, billing, ...); each field names its
variable exactly (`validation_alias`), so the README's table is generated from here
(`scripts/env_table.py`) and cannot drift.

* `get_settings()` is the process's settings, read once (Dagster's `defs()`, the API factory,
  the pages and the CLI call it at their entry point and hand the object down);
* `load_settings(environ)` builds settings from a mapping (tests, or a fresh read);
* `reset_settings()` forgets the cached read (tests that change the environment).

An empty variable counts as unset. A bad value fails the read with a message naming the
variable and what to set instead. Paths left unset derive from `AGENTOPS_HOME`, so a test can
point the whole product at tmp_path with one variable.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_SPECS = PROJECT_ROOT / "examples" / "specs"
CONFIG_DIR = PROJECT_ROOT / "config"
DEFAULT_WORKSPACE = "default"
DEBIAN_CHROMIUM = Path("/usr/bin/chromium")

_ON = frozenset({"on", "true", "1", "yes"})
_OFF = frozenset({"off", "false", "0", "no", ""})


class SettingsError(ValueError):
    """A variable holds a value AgentOps cannot use; the message names it and the fix."""


def parse_switch(value: object) -> bool:
    """The one on/off parser: on/true/1/yes and off/false/0/no (any case)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in _ON:
        return True
    if text in _OFF:
        return False
    raise ValueError("is not a switch; set it to on or off")


def _whole(what: str) -> Callable[[object], int]:
    def parse(value: object) -> int:
        if isinstance(value, int):
            return value
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError(f"is not a whole number of {what}")
        return int(text)

    return parse


def _commas(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return tuple(value)  # type: ignore[arg-type]


def _lower(value: object) -> object:
    return value.strip().lower() if isinstance(value, str) else value


def _one_of(*choices: str) -> Callable[[object], str]:
    def parse(value: object) -> str:
        text = str(value).strip().lower()
        if text not in choices:
            raise ValueError(f"is not one of {', '.join(choices[:-1])} or {choices[-1]}")
        return text

    return parse


Switch = Annotated[bool, BeforeValidator(parse_switch)]
Seconds = Annotated[int, BeforeValidator(_whole("seconds"))]
Connections = Annotated[int, BeforeValidator(_whole("connections"))]
CommaList = Annotated[tuple[str, ...], BeforeValidator(_commas)]


def env(name: str, default: Any = None, meaning: str = "", shown: str | None = None) -> Any:
    """A field read from variable `name`; `shown` is the default as the README prints it."""
    extra: Any = {"shown_default": shown} if shown is not None else None
    return Field(default, validation_alias=name, description=meaning, json_schema_extra=extra)


class Group(BaseModel):
    """One domain's variables; fields are set by name in code and by variable from the env."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")


class PathsSettings(Group):
    home: Path = env(
        "AGENTOPS_HOME", PROJECT_ROOT / ".agentops", "root of all local state", "./.agentops"
    )
    specs_path: Path = env(
        "AGENTOPS_SPECS_PATH", BUNDLED_SPECS, "folder or git clone holding the specs",
        "examples/specs",
    )  # fmt: skip
    artefact_root: Path | None = env(
        "AGENTOPS_ARTEFACT_ROOT", None, "JSON artefacts (documents, plans, ...)",
        "$AGENTOPS_HOME/artefacts",
    )  # fmt: skip
    dagster_home: Path | None = env(
        "DAGSTER_HOME", None, "Dagster instance (SQLite unless a `dagster.yaml` says otherwise)",
        "$AGENTOPS_HOME/dagster",
    )  # fmt: skip
    code_links: Path = env(
        "AGENTOPS_CODE_LINKS", CONFIG_DIR / "code_links.yaml",
        "which code repository implements which spec (YAML)", "config/code_links.yaml",
    )  # fmt: skip


class DeploymentSettings(Group):
    workspace: str = env(
        "AGENTOPS_WORKSPACE", DEFAULT_WORKSPACE,
        "the workspace the pipeline, router and pages act for (plan, budget, ledger rows)",
    )  # fmt: skip
    log_format: Literal["json", "plain"] = env(
        "AGENTOPS_LOG_FORMAT", "json",
        "`plain` keeps the host's log format instead of JSON lines",
    )  # fmt: skip
    public_url: str = env(
        "AGENTOPS_PUBLIC_URL", "http://localhost:8501",
        "the pages' public address: where Checkout returns to",
    )  # fmt: skip

    @model_validator(mode="before")
    @classmethod
    def _normalise(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in ("AGENTOPS_LOG_FORMAT", "log_format"):
                if isinstance(data.get(key), str):
                    value = data[key].strip().lower()
                    data[key] = value if value == "plain" else "json"  # anything else: JSON
        return data


class StoreSettings(Group):
    url: str | None = env(
        "AGENTOPS_DB_URL", None, "app store (any SQLAlchemy URL; PostgreSQL for scale)",
        "sqlite:///$AGENTOPS_HOME/app.db",
    )  # fmt: skip
    read_url: str | None = env(
        "AGENTOPS_DB_READ_URL", None,
        "a read replica (or PgBouncer in front of one) for bulk reads: the KPI extract",
    )  # fmt: skip
    pool: Annotated[str, BeforeValidator(_one_of("queue", "null"))] = env(
        "AGENTOPS_DB_POOL", "queue",
        "`queue` pools connections per process; `null` behind PgBouncer in transaction mode",
    )  # fmt: skip
    pool_size: Connections = env("AGENTOPS_DB_POOL_SIZE", 5, "pooled connections per process")
    max_overflow: Connections = env(
        "AGENTOPS_DB_MAX_OVERFLOW", 5, "connections beyond the pool per process"
    )


class WarehouseSettings(Group):
    path: Path | None = env(
        "AGENTOPS_WAREHOUSE", None, "analytics DuckDB file (dbt's profile reads it too)",
        "$AGENTOPS_HOME/warehouse.duckdb",
    )  # fmt: skip
    dbt_profiles_dir: Path = env(
        "DBT_PROFILES_DIR", PROJECT_ROOT / "dbt_metrics",
        "folder of the dbt `profiles.yml` (a deployment's own profile)", "dbt_metrics",
    )  # fmt: skip
    browser_path: Path | None = env(
        "BROWSER_PATH", None, "Chromium that renders the KPI report's charts (default if present)",
        "/usr/bin/chromium",
    )  # fmt: skip


class OrchestrationSettings(Group):
    executor: Annotated[str, BeforeValidator(_lower)] = env(
        "AGENTOPS_EXECUTOR", "multiprocess",
        "Dagster executor of every job: `multiprocess`, `in_process` or `celery` "
        "(see `deploy/README.md`)",
    )  # fmt: skip
    celery_broker: str | None = env(
        "AGENTOPS_CELERY_BROKER", None, "Celery broker URL (executor `celery`)"
    )
    celery_backend: str | None = env(
        "AGENTOPS_CELERY_BACKEND", None, "Celery result backend URL (executor `celery`)"
    )
    automation_interval_s: Seconds = env(
        "AGENTOPS_AUTOMATION_INTERVAL_S", 30, "seconds between automation evaluations (floor 5)"
    )
    dagster_url: str | None = env(
        "AGENTOPS_DAGSTER_URL", None, "`agentops ingest` queues runs on this Dagster webserver"
    )
    dagster_location: str = env(
        "AGENTOPS_DAGSTER_LOCATION", "agentops", "code location name for queued runs"
    )


class LLMSettings(Group):
    """The providers' keys and URLs: one declaration for the router, the resource and pages."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)

    policy: Path = env(
        "AGENTOPS_LLM_POLICY", CONFIG_DIR / "llm_policy.yaml",
        "routing, escalation and budgets of the LLM router", "config/llm_policy.yaml",
    )  # fmt: skip
    openai_api_key: SecretStr | None = env(
        "OPENAI_API_KEY", None, "OpenAI key; unset: provider disabled, routes skip it"
    )
    openai_base_url: str | None = env("OPENAI_BASE_URL", None, "OpenAI API base (optional)")
    mistral_api_key: SecretStr | None = env(
        "MISTRAL_API_KEY", None, "Mistral key; unset: provider disabled"
    )
    mistral_base_url: str | None = env("MISTRAL_BASE_URL", None, "Mistral API base (optional)")
    compat_base_url: str | None = env(
        "AGENTOPS_OPENAI_COMPAT_BASE_URL", None,
        "any OpenAI-compatible `/v1` (Ollama, vLLM, llama.cpp): the `local` provider",
    )  # fmt: skip
    compat_api_key: SecretStr | None = env(
        "AGENTOPS_OPENAI_COMPAT_API_KEY", None, "key of the OpenAI-compatible server, if any"
    )
    compat_model: str | None = env(
        "AGENTOPS_OPENAI_COMPAT_MODEL", None, "model name on the OpenAI-compatible server"
    )

    def key(self, name: str) -> str | None:
        """The plain value of one key field (only for the SDK client that sends it)."""
        value = getattr(self, name)
        return value.get_secret_value() if value is not None else None


class RetrievalSettings(Group):
    model_config = ConfigDict(populate_by_name=True, extra="ignore", frozen=True)  # a cache key

    backend: Annotated[str, BeforeValidator(_lower)] = env(
        "AGENTOPS_SEARCH_BACKEND", "embedded", "`embedded` (no server) or `opensearch`"
    )
    opensearch_url: SecretStr | None = env(
        "AGENTOPS_OPENSEARCH_URL", None, "OpenSearch URL (may carry credentials)"
    )
    opensearch_index: str = env(
        "AGENTOPS_OPENSEARCH_INDEX", "agentops-spec-chunks", "OpenSearch index of spec chunks"
    )
    opensearch_verify_certs: Switch = env(
        "AGENTOPS_OPENSEARCH_VERIFY_CERTS", True, "`off` accepts a self-signed certificate"
    )
    embed_model: Path | None = env(
        "AGENTOPS_EMBED_MODEL", None, "embedding model ONNX file instead of the packaged one"
    )
    embed_tokenizer: Path | None = env(
        "AGENTOPS_EMBED_TOKENIZER", None, "embedding tokenizer file instead of the packaged one"
    )

    def opensearch(self) -> str | None:
        return self.opensearch_url.get_secret_value() if self.opensearch_url else None


class AssistantSettings(Group):
    enabled: Switch = env(
        "AGENTOPS_SPECGPT_ENABLED", True,
        "`off` switches SpecGPT off in every workspace (per workspace: `features.py`)",
    )  # fmt: skip
    rate_per_minute: Annotated[int, BeforeValidator(_whole("requests"))] = env(
        "AGENTOPS_SPECGPT_RATE_PER_MINUTE", 20, "SpecGPT requests per user per minute"
    )
    search_mode: Annotated[str, BeforeValidator(_one_of("hybrid", "bm25", "dense"))] = env(
        "AGENTOPS_SPECGPT_SEARCH_MODE", "hybrid",
        "retrieval mode of SpecGPT's context builder (`hybrid`, `bm25`, `dense`)",
    )  # fmt: skip


class GitSettings(Group):
    github_token: SecretStr | None = env(
        "AGENTOPS_GITHUB_TOKEN", None, "GitHub token for git push and the API (see GitHub)"
    )
    github_api_url: str = env(
        "AGENTOPS_GITHUB_API_URL", "https://api.github.com",
        "GitHub API (Enterprise: `https://HOST/api/v3`); the token goes only to this host",
    )  # fmt: skip
    webhook_secret: SecretStr | None = env(
        "AGENTOPS_GITHUB_WEBHOOK_SECRET", None,
        "secret of the GitHub webhook; unset: `POST /webhooks/github` not served",
    )  # fmt: skip
    sensor_interval_s: Seconds = env(
        "AGENTOPS_GIT_SENSOR_INTERVAL_S", 30, "seconds between git sensor ticks (floor 5)"
    )
    allowed_hosts: CommaList = env(
        "AGENTOPS_GIT_ALLOWED_HOSTS", ("github.com",),
        "comma-separated Git hosts a repository may be linked from", "github.com",
    )  # fmt: skip
    allow_local_remotes: Switch = env(
        "AGENTOPS_GIT_ALLOW_LOCAL_REMOTES", False, "`on` allows local bare repos (tests, demos)"
    )
    pr_review_mode: str | None = env(
        "AGENTOPS_PR_REVIEW_MODE", None,
        "PR reviews: `off`, `comment`, `request_changes` (when a MUST requirement regresses)",
        "comment",
    )  # fmt: skip

    def token(self) -> str | None:
        return self.github_token.get_secret_value() if self.github_token else None


class ConnectSettings(Group):
    """GitHub App / OAuth sign-in and GitLab: each unset id turns its feature off."""

    github_app_id: str | None = env(
        "AGENTOPS_GITHUB_APP_ID", None, "GitHub App id; set: the Git page offers Connect GitHub"
    )
    github_app_slug: str | None = env(
        "AGENTOPS_GITHUB_APP_SLUG", None, "the GitHub App's URL name (its install page)"
    )
    github_app_private_key: SecretStr | None = env(
        "AGENTOPS_GITHUB_APP_PRIVATE_KEY", None, "the App's private key (PEM text)"
    )
    github_app_private_key_file: str | None = env(
        "AGENTOPS_GITHUB_APP_PRIVATE_KEY_FILE", None, "path of the App's .pem (instead of the text)"
    )
    github_web_url: str | None = env(
        "AGENTOPS_GITHUB_WEB_URL", None, "GitHub's web host (Enterprise); derived from the API URL",
        "https://github.com",
    )  # fmt: skip
    github_client_id: str | None = env(
        "AGENTOPS_GITHUB_CLIENT_ID", None, "GitHub OAuth app id; set: Sign in with GitHub"
    )
    github_client_secret: SecretStr | None = env(
        "AGENTOPS_GITHUB_CLIENT_SECRET", None, "GitHub OAuth app secret"
    )
    github_redirect_uri: str = env(
        "AGENTOPS_GITHUB_REDIRECT_URI", "http://127.0.0.1:8501/", "the pages' own URL for GitHub"
    )
    gitlab_url: str = env("AGENTOPS_GITLAB_URL", "https://gitlab.com", "GitLab host")
    gitlab_client_id: str | None = env(
        "AGENTOPS_GITLAB_CLIENT_ID", None, "GitLab OAuth application id"
    )
    gitlab_client_secret: SecretStr | None = env(
        "AGENTOPS_GITLAB_CLIENT_SECRET", None, "GitLab OAuth application secret"
    )
    gitlab_redirect_uri: str = env(
        "AGENTOPS_GITLAB_REDIRECT_URI", "http://127.0.0.1:8501/", "the pages' own URL for GitLab"
    )
    gitlab_webhook_secret: SecretStr | None = env(
        "AGENTOPS_GITLAB_WEBHOOK_SECRET", None,
        "`X-Gitlab-Token` of GitLab webhooks; unset: `POST /webhooks/gitlab` not served",
    )  # fmt: skip

    def raw(self) -> dict[str, str]:
        """Each set variable by name, secrets revealed, for the connect loaders' own checks."""
        out: dict[str, str] = {}
        for name, field in type(self).model_fields.items():
            value = getattr(self, name)
            if value is None:
                continue
            text = value.get_secret_value() if isinstance(value, SecretStr) else str(value)
            out[str(field.validation_alias)] = text
        return out


class AuthSettings(Group):
    oidc_issuer: str | None = env("AGENTOPS_OIDC_ISSUER", None, "OIDC issuer the API trusts")
    oidc_audience: str | None = env(
        "AGENTOPS_OIDC_AUDIENCE", None, "audience the API's tokens must carry"
    )
    oidc_subject_claim: str = env(
        "AGENTOPS_OIDC_SUBJECT_CLAIM", "email", "claim that names the user"
    )
    dev_admin: str | None = env(
        "AGENTOPS_DEV_ADMIN", None, "pages sign this name in as owner (dev and demo only)"
    )
    dev_role: str = env("AGENTOPS_DEV_ROLE", "owner", "the dev user's role")
    session_hours: float = env(
        "AGENTOPS_SESSION_HOURS", 12.0, "page sessions end after this many hours", "12"
    )
    moderators: CommaList = env(
        "AGENTOPS_MODERATORS", ("moderator",),
        "comma-separated users who may moderate marketplace uploads", "moderator",
    )  # fmt: skip


class BillingSettings(Group):
    plan_limits: Switch = env(
        "AGENTOPS_PLAN_LIMITS", False,
        "`on` enforces the plan's spec, seat and LLM budget limits (see \"Stripe\")", "off",
    )  # fmt: skip
    config: Path = env(
        "AGENTOPS_BILLING_CONFIG", CONFIG_DIR / "billing.yaml", "plans and their limits",
        "config/billing.yaml",
    )  # fmt: skip
    stripe_secret_key: SecretStr | None = env(
        "STRIPE_SECRET_KEY", None, "Stripe API key; unset: no Checkout"
    )
    stripe_api_base: str | None = env(
        "STRIPE_API_BASE", None, "only for tests / stripe-mock (a local server)"
    )
    stripe_webhook_secrets: CommaList = env(
        "STRIPE_WEBHOOK_SECRETS", (),
        "comma-separated signing secrets (`whsec_...`); unset: `POST /webhooks/stripe` not served",
    )  # fmt: skip
    stripe_webhook_tolerance: Seconds = env(
        "STRIPE_WEBHOOK_TOLERANCE", 300, "max age of a signature in seconds"
    )
    stripe_price_starter: str | None = env(
        "STRIPE_PRICE_STARTER", None, "Price id of the starter plan; unset: amount inline"
    )
    stripe_price_team: str | None = env(
        "STRIPE_PRICE_TEAM", None, "Price id of the team plan; unset: amount inline"
    )


class QASettings(Group):
    config: Path = env(
        "AGENTOPS_QA_CONFIG", CONFIG_DIR / "qa.yaml", "completion weights and heat thresholds",
        "config/qa.yaml",
    )  # fmt: skip
    rules: Path = env(
        "AGENTOPS_QA_RULES", CONFIG_DIR / "qa_rules.yaml", "acceptance rules",
        "config/qa_rules.yaml",
    )  # fmt: skip
    envs: Path | None = env(
        "AGENTOPS_ENVS", None, "cache of built test environments", "$AGENTOPS_HOME/envs"
    )
    python_dirs: Annotated[tuple[str, ...], BeforeValidator(lambda v: _paths(v))] = env(
        "AGENTOPS_PYTHON_DIRS", (), "more folders to look for Python interpreters in (`:`)"
    )
    spec_parse_seconds: float = env(
        "AGENTOPS_SPEC_PARSE_SECONDS", 5.0, "time budget of parsing one spec", "5"
    )


def _paths(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part for part in value.split(os.pathsep) if part)
    return tuple(value)  # type: ignore[arg-type]


class SandboxSettings(Group):
    isolation: Annotated[str | None, BeforeValidator(_lower)] = env(
        "AGENTOPS_SANDBOX_ISOLATION", None,
        "`userns` skips the root path of the sandbox (user namespaces only)", "root, then userns",
    )  # fmt: skip


class AlertSettings(Group):
    rules: Path = env(
        "AGENTOPS_ALERTS_FILE", CONFIG_DIR / "alerts.yaml", "KPI alert rules",
        "config/alerts.yaml",
    )  # fmt: skip
    smtp_host: str | None = env("AGENTOPS_ALERT_SMTP_HOST", None, "e-mail alerts (unset: none)")
    smtp_port: Annotated[int, BeforeValidator(_whole("port"))] = env(
        "AGENTOPS_ALERT_SMTP_PORT", 25, "SMTP port"
    )
    smtp_from: str = env("AGENTOPS_ALERT_SMTP_FROM", "agentops@localhost", "sender")
    smtp_to: CommaList = env(
        "AGENTOPS_ALERT_SMTP_TO", ("root@localhost",), "comma-separated recipients",
        "root@localhost",
    )  # fmt: skip
    smtp_username: str | None = env("AGENTOPS_ALERT_SMTP_USERNAME", None, "SMTP user")
    smtp_password: SecretStr | None = env("AGENTOPS_ALERT_SMTP_PASSWORD", None, "SMTP password")
    smtp_starttls: Switch = env("AGENTOPS_ALERT_SMTP_STARTTLS", False, "`on`: STARTTLS")
    webhook_url: str | None = env(
        "AGENTOPS_ALERT_WEBHOOK_URL", None, "JSON alert webhook (unset: none)"
    )
    webhook_token: SecretStr | None = env(
        "AGENTOPS_ALERT_WEBHOOK_TOKEN", None, "sent to the alert webhook as Bearer"
    )


class Settings(BaseSettings):
    """The process's configuration; the flat properties below are the most used paths."""

    model_config = SettingsConfigDict(extra="ignore")

    paths: PathsSettings = PathsSettings()
    deployment: DeploymentSettings = DeploymentSettings()
    store: StoreSettings = StoreSettings()
    warehouse: WarehouseSettings = WarehouseSettings()
    orchestration: OrchestrationSettings = OrchestrationSettings()
    llm: LLMSettings = LLMSettings()
    retrieval: RetrievalSettings = RetrievalSettings()
    assistant: AssistantSettings = AssistantSettings()
    git: GitSettings = GitSettings()
    auth: AuthSettings = AuthSettings()
    connect: ConnectSettings = ConnectSettings()
    billing: BillingSettings = BillingSettings()
    qa: QASettings = QASettings()
    sandbox: SandboxSettings = SandboxSettings()
    alerts: AlertSettings = AlertSettings()

    _environ: dict[str, str] = PrivateAttr(default_factory=dict)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, _VariablesSource(settings_cls))

    @model_validator(mode="after")
    def _derive(self) -> Settings:
        """Unset paths follow AGENTOPS_HOME; every path is absolute."""
        p = self.paths
        p.home = p.home.resolve()
        p.specs_path = p.specs_path.resolve()
        p.artefact_root = (p.artefact_root or p.home / "artefacts").resolve()
        p.dagster_home = p.dagster_home or p.home / "dagster"
        self.store.url = self.store.url or f"sqlite:///{p.home / 'app.db'}"
        self.warehouse.path = (self.warehouse.path or p.home / "warehouse.duckdb").resolve()
        if self.warehouse.browser_path is None and DEBIAN_CHROMIUM.exists():
            self.warehouse.browser_path = DEBIAN_CHROMIUM
        self.qa.envs = (self.qa.envs or p.home / "envs").resolve()
        self.deployment.workspace = self.deployment.workspace.strip() or DEFAULT_WORKSPACE
        return self

    # The paths most code needs, kept flat so call sites stay short.
    @property
    def home(self) -> Path:
        return self.paths.home

    @property
    def specs_path(self) -> Path:
        return self.paths.specs_path

    @property
    def artefact_root(self) -> Path:
        assert self.paths.artefact_root is not None  # set by _derive
        return self.paths.artefact_root

    @property
    def dagster_home(self) -> Path:
        assert self.paths.dagster_home is not None
        return self.paths.dagster_home

    @property
    def app_db_url(self) -> str:
        assert self.store.url is not None
        return self.store.url

    @property
    def app_db_read_url(self) -> str | None:
        return self.store.read_url

    @property
    def warehouse_path(self) -> Path:
        assert self.warehouse.path is not None
        return self.warehouse.path

    @property
    def workspace(self) -> str:
        return self.deployment.workspace

    @property
    def plan_limits(self) -> bool:
        return self.billing.plan_limits

    def variable(self, name: str) -> str | None:
        """A variable named by a config file rather than by this model (a plan's `price_env`)."""
        for group in _groups():
            for field_name, field in group.model_fields.items():
                if field.validation_alias == name:
                    value = getattr(getattr(self, _group_attr(group)), field_name)
                    return None if value is None else str(value)
        return self._environ.get(name) or None

    def subprocess_env(self, **extra: str) -> dict[str, str]:
        """The environment for a child process: this process's, plus `extra`, explicit."""
        return {**self._environ, **extra}

    def with_paths(self, **changes: Any) -> Settings:
        """A copy with some paths changed (the CLI's `--path`, a page's own home)."""
        copy = self.model_copy(deep=True)
        copy.paths = self.paths.model_copy(update=changes)
        copy._environ = dict(self._environ)
        return copy


_environ_var: ContextVar[Mapping[str, str] | None] = ContextVar("agentops_environ", default=None)


class _VariablesSource(PydanticBaseSettingsSource):
    """Each group's fields from their own variable names (no prefix, no nesting delimiter,
    no JSON decoding): `AGENTOPS_DB_URL` fills `store.url`."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # values come from __call__ by group

    def __call__(self) -> dict[str, Any]:
        environ = _environ_var.get()
        assert environ is not None, "build settings through load_settings()"
        values: dict[str, Any] = {}
        for name, field in self.settings_cls.model_fields.items():
            group = field.annotation
            assert isinstance(group, type) and issubclass(group, Group)
            found = {}
            for sub in group.model_fields.values():
                raw = environ.get(str(sub.validation_alias))
                if raw is not None and raw.strip():
                    found[str(sub.validation_alias)] = raw.strip()
            values[name] = found
        return values


def _groups() -> Iterator[type[Group]]:
    for field in Settings.model_fields.values():
        assert isinstance(field.annotation, type) and issubclass(field.annotation, Group)
        yield field.annotation


def _group_attr(group: type[Group]) -> str:
    for name, field in Settings.model_fields.items():
        if field.annotation is group:
            return name
    raise KeyError(group.__name__)


def variables() -> Iterator[tuple[str, str, FieldInfo]]:
    """(group, variable, field) for every variable, in the model's order (the README table)."""
    for name, field in Settings.model_fields.items():
        group = field.annotation
        assert isinstance(group, type) and issubclass(group, Group)
        for sub in group.model_fields.values():
            yield name, str(sub.validation_alias), sub


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Fresh settings from `environ` (default: this process's environment); never cached."""
    source = dict(os.environ) if environ is None else dict(environ)
    token = _environ_var.set(source)
    try:
        settings = Settings()
    except ValidationError as exc:
        raise SettingsError(_explain(exc, source)) from None
    finally:
        _environ_var.reset(token)
    settings._environ = source
    return settings


def _explain(exc: ValidationError, source: Mapping[str, str]) -> str:
    problems = []
    for error in exc.errors():
        name = str(error["loc"][-1]) if error["loc"] else "?"
        message = str(error["msg"]).removeprefix("Value error, ")
        shown = repr(source.get(name, error.get("input")))
        if "KEY" in name or "SECRET" in name or "TOKEN" in name or "PASSWORD" in name:
            shown = "(hidden)"
        problems.append(f"{name}={shown} {message}")
    return "; ".join(problems) + ": fix or unset the variable (see the README's Configuration)"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read from the environment once."""
    return load_settings()


def reset_settings() -> None:
    """Forget the cached read: the next `get_settings()` reads the environment again (tests)."""
    get_settings.cache_clear()


def settings_for(environ: Mapping[str, str] | None) -> Settings:
    """`environ` given: settings from it; else the process's (for helpers that accept both)."""
    return get_settings() if environ is None else load_settings(environ)


def current_workspace(environ: Mapping[str, str] | None = None) -> str:
    """The workspace this deployment's pipeline, router and pages act for."""
    return settings_for(environ).workspace
