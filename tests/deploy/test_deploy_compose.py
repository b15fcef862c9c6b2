"""deploy/compose.yaml: interpolated like Compose does, validated against tests/deploy's
compose schema, then against what the stack needs (every service, healthy dependencies, pinned
images, secrets only from the environment). `docker compose config` runs too where the compose
plugin is installed."""

from __future__ import annotations

import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml

from tests.conftest import PROJECT_ROOT
from tests.deploy.compose_schema import COMPOSE_SCHEMA

COMPOSE = PROJECT_ROOT / "deploy" / "compose.yaml"
ENV = {"POSTGRES_PASSWORD": "pw-from-env", "AGENTOPS_CELERY_WORKERS": "3"}
VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


def interpolate(text: str, env: dict[str, str]) -> str:
    """${VAR}, ${VAR:-default}, ${VAR:?error} as Compose resolves them; $$ is a literal $."""

    def one(match: re.Match) -> str:
        name, op, arg = match.group(1), match.group(2), match.group(3)
        value = env.get(name)
        if op and op.endswith("?") and not value:
            raise ValueError(f"{name}: {arg}")
        if op and op.endswith("-") and not value:
            return arg or ""
        return value or ""

    return VARIABLE.sub(one, text.replace("$$", "\0")).replace("\0", "$")


@pytest.fixture(scope="module")
def stack() -> dict:
    return yaml.safe_load(interpolate(COMPOSE.read_text(), ENV))


def test_matches_the_compose_schema(stack: dict) -> None:
    jsonschema.validate(stack, COMPOSE_SCHEMA)


def test_schema_refuses_a_typo(stack: dict) -> None:
    broken = yaml.safe_load(yaml.safe_dump(stack))
    broken["services"]["api"]["depend_on"] = ["postgres"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, COMPOSE_SCHEMA)


def test_missing_password_is_an_error_naming_the_variable() -> None:
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD: set POSTGRES_PASSWORD"):
        interpolate(COMPOSE.read_text(), {})


def test_the_whole_stack_is_there(stack: dict) -> None:
    services = stack["services"]
    assert {
        "postgres",
        "redis",
        "migrate",
        "code",
        "dagster-webserver",
        "dagster-daemon",
        "celery-worker",
        "api",
        "receiver",
        "streamlit",
        "opensearch",
    } <= set(services)
    assert services["opensearch"]["profiles"] == ["opensearch"]
    assert [s for s, v in services.items() if "profiles" in v] == ["opensearch"]
    assert services["celery-worker"]["deploy"]["replicas"] == 3
    assert "dagster-celery" in services["celery-worker"]["command"]
    assert services["migrate"]["command"] == ["agentops", "db", "upgrade"]
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, f"{name} depends on unknown {dependency}"
            if rule["condition"] == "service_healthy":
                has_check = "healthcheck" in services[dependency] or dependency == "code"
                assert has_check, f"{dependency} has no health check"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source.startswith(".") or source in stack["volumes"], volume
        image = service.get("image", "")
        assert image and not image.endswith(":latest") and ":" in image, f"{name}: {image!r}"
    for name in ("api", "receiver", "streamlit", "code", "dagster-daemon", "celery-worker"):
        deps = services[name].get("depends_on", {})
        assert "migrate" in deps or "code" in deps, f"{name} may start before the migration"


def test_secrets_come_from_the_environment(stack: dict) -> None:
    raw = yaml.safe_load(COMPOSE.read_text())
    text = yaml.safe_dump(raw)
    assert "pw-from-env" not in text
    env = raw["x-env"]
    for key, value in env.items():
        if any(w in key for w in ("PASSWORD", "SECRET", "TOKEN", "API_KEY")):
            assert str(value).startswith("${"), f"{key} is written in compose.yaml"
    api_env = stack["services"]["api"]["environment"]
    assert api_env["AGENTOPS_DB_URL"].startswith("postgresql+psycopg2://agentops:pw-from-env@")
    assert api_env["AGENTOPS_EXECUTOR"] == "celery"


@pytest.mark.skipif(
    shutil.which("docker") is None
    or subprocess.run(["docker", "compose", "version"], capture_output=True).returncode != 0,
    reason="docker compose plugin not installed (the docker client alone has no `compose`)",
)
def test_docker_compose_config(tmp_path) -> None:
    done = subprocess.run(
        ["docker", "compose", "-f", str(COMPOSE), "config", "--quiet"],
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", **ENV},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
