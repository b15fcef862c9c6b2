"""Only `agentops_pipelines/settings.py` reads the process environment (an AST scan of both
packages), and the model parses, derives and refuses values as documented."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from agentops_pipelines.settings import (
    SettingsError,
    get_settings,
    load_settings,
    parse_switch,
    reset_settings,
    variables,
)

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = ROOT / "agentops_pipelines" / "settings.py"
READERS = {"environ", "getenv", "environb", "getenvb", "putenv", "unsetenv"}


def _environment_reads(path: Path) -> list[str]:
    """`os.environ`, `os.getenv`, ... and `from os import environ` anywhere in the module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in READERS:
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} os.{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            names = {alias.name for alias in node.names}
            if names & READERS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} from os import")
    return found


def test_only_the_settings_module_reads_the_environment() -> None:
    modules = [
        *(ROOT / "agentops_pipelines").rglob("*.py"),
        *(ROOT / "streamlit_app").rglob("*.py"),
    ]
    reads = [hit for path in modules if path != SETTINGS_MODULE for hit in _environment_reads(path)]
    assert reads == [], "read these through agentops_pipelines.settings instead: " + ", ".join(
        reads
    )


def test_the_scan_finds_a_read(tmp_path: Path) -> None:
    probe = ROOT / "agentops_pipelines" / "_probe_env_read.py"
    probe.write_text("import os\nX = os.environ.get('A')\nfrom os import getenv\n")
    try:
        assert len(_environment_reads(probe)) == 2
    finally:
        probe.unlink()


def test_paths_derive_from_home_and_variables_override(tmp_path: Path) -> None:
    s = load_settings({"AGENTOPS_HOME": str(tmp_path)})
    assert s.artefact_root == tmp_path / "artefacts"
    assert s.app_db_url == f"sqlite:///{tmp_path / 'app.db'}"
    assert s.warehouse_path == tmp_path / "warehouse.duckdb"
    assert s.dagster_home == tmp_path / "dagster"
    assert s.qa.envs == tmp_path / "envs"
    other = load_settings({"AGENTOPS_HOME": str(tmp_path), "AGENTOPS_DB_URL": "sqlite:///x.db"})
    assert other.app_db_url == "sqlite:///x.db"


def test_an_empty_variable_counts_as_unset(tmp_path: Path) -> None:
    s = load_settings(
        {"AGENTOPS_HOME": str(tmp_path), "AGENTOPS_WORKSPACE": "  ", "OPENAI_API_KEY": ""}
    )
    assert s.workspace == "default"
    assert s.llm.openai_api_key is None


@pytest.mark.parametrize(
    ("raw", "value"), [("on", True), ("TRUE", True), ("1", True), ("off", False), ("0", False)]
)
def test_one_switch_parser(raw: str, value: bool) -> None:
    assert parse_switch(raw) is value
    assert load_settings({"AGENTOPS_PLAN_LIMITS": raw}).plan_limits is value


def test_bad_values_name_the_variable_and_hide_secrets() -> None:
    with pytest.raises(SettingsError, match=r"AGENTOPS_PLAN_LIMITS='maybe' is not a switch"):
        load_settings({"AGENTOPS_PLAN_LIMITS": "maybe"})
    with pytest.raises(SettingsError, match="AGENTOPS_DB_POOL_SIZE='many' is not a whole number"):
        load_settings({"AGENTOPS_DB_POOL_SIZE": "many"})
    with pytest.raises(SettingsError) as err:
        load_settings({"STRIPE_WEBHOOK_TOLERANCE": "soon", "AGENTOPS_ALERT_SMTP_PORT": "x"})
    assert "STRIPE_WEBHOOK_TOLERANCE" in str(err.value)


def test_secrets_stay_out_of_reprs() -> None:
    s = load_settings({"OPENAI_API_KEY": "sk-very-secret", "AGENTOPS_GITHUB_TOKEN": "ghp_secret"})
    assert "sk-very-secret" not in repr(s) and "ghp_secret" not in repr(s)
    assert s.llm.key("openai_api_key") == "sk-very-secret"


def test_read_once_until_reset(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    first = get_settings()
    assert get_settings() is first
    monkeypatch.setenv("AGENTOPS_WORKSPACE", "acme")  # the test helper resets the cache
    assert get_settings().workspace == "acme"
    reset_settings()
    assert get_settings() is not first


def test_every_variable_has_a_meaning_and_a_unique_name() -> None:
    names = [name for _, name, _ in variables()]
    assert len(names) == len(set(names))
    assert all(field.description for _, _, field in variables())


def test_subprocess_env_is_explicit() -> None:
    s = load_settings({"PATH": "/usr/bin", "AGENTOPS_HOME": "/tmp/h"})
    assert s.subprocess_env(GIT_TERMINAL_PROMPT="0") == {
        "PATH": "/usr/bin",
        "AGENTOPS_HOME": "/tmp/h",
        "GIT_TERMINAL_PROMPT": "0",
    }
