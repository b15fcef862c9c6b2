"""Secrets the redaction used to miss, and e-mail addresses in spec paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from agentops_pipelines.cli.main import app
from agentops_pipelines.gitops.inbox.events import PushEvent
from agentops_pipelines.gitops.links.spec_paths import spec_paths_changed
from agentops_pipelines.security.pii import safe_path_key
from agentops_pipelines.security.redact import redact
from agentops_pipelines.specs.ingest import load_raw_spec
from agentops_pipelines.specs.source import SpecFolder

AZURE = (
    "DefaultEndpointsProtocol=https;AccountName=acct;AccountKey="
    "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4YWJjZA==;"
    "EndpointSuffix=core.windows.net"
)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("token glpat-xK9aB3dE7fG1hJ2kL4mN here", "glpat-xK9aB3dE7fG1hJ2kL4mN"),
        ("//registry.npmjs.org/:_authToken=npm_AbCdEf0123456789AbCdEf0123456789AbCd", "npm_AbCd"),
        (
            "post to https://hooks.slack.com/services/T0AB12CD3/B0EF45GH6/aBcDeFgHiJkLmNoPqRsTuVwX",
            "aBcDeFgHiJkLmNoPqRsTuVwX",
        ),
        (AZURE, "Zm9vYmFy"),
        ("GITHUB_TOKEN ghp_abcdefghijklmnopqrstuvwxyzabcdefghij", "ghp_abcdef"),
        ("key ghp_ABCDEFghij\u200bklmnopQRSTUVwxyz0123456789", "klmnopQRSTUV"),
        ("key sk-proj-abc\u200bdefGHIjklMNOpqrSTUvwxYZ123456", "GHIjkl"),
    ],
    ids=["gitlab", "npm", "slack-webhook", "azure-storage", "lowercase-ghp", "zw-ghp", "zw-openai"],
)
def test_previously_missed_secrets_are_redacted(text: str, secret: str) -> None:
    result = redact(text)
    assert secret not in result.text and result.counts.get("api_key", 0) >= 1
    assert redact(result.text).text == result.text  # idempotent


@pytest.mark.parametrize(
    "text",
    [
        "the global-settings-for-the-team file",
        "run npm_install before the build",
        "می\u200cخواهم",  # ZWNJ between Persian letters stays
        "family 👨\u200d👩\u200d👧",
    ],
)
def test_ordinary_text_is_untouched(text: str) -> None:
    assert redact(text).text == text


def test_an_email_in_a_spec_path_never_becomes_a_key(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "specs"
    (root / "bob.leak@example.com").mkdir(parents=True)
    (root / "bob.leak@example.com" / "spec.md").write_text(
        "# Spec\n\n## Requirements\n- R1: The system shall work.\n"
    )
    folder = SpecFolder(root)
    [spec] = folder.scan()
    assert "@" not in spec.key and "bob.leak" not in spec.key
    assert spec.key == safe_path_key("bob.leak@example.com/spec.md")  # stable, consistent
    raw = load_raw_spec(SpecFolder(root), spec.key)  # a fresh folder resolves the key too
    assert raw.text.startswith("# Spec") and "bob.leak" not in raw.source.path
    push = PushEvent.model_validate(
        {
            "ref": "refs/heads/main",
            "before": "0" * 40,
            "after": "a" * 40,
            "repository": {"full_name": "acme/specs"},
            "commits": [{"id": "c1", "added": ["bob.leak@example.com/spec.md"]}],
        }
    )
    changed, _ = spec_paths_changed(push, ["**/*.md"])
    assert changed == {spec.key}

    monkeypatch.setenv("AGENTOPS_HOME", str(tmp_path / "home"))
    out = CliRunner().invoke(app, ["ingest", str(root), "--no-dagster"], terminal_width=200)
    assert "bob.leak" not in out.output and spec.key[:12] in out.output
    names = [p.name for p in (tmp_path / "home").rglob("*")]
    assert not any("bob.leak" in n for n in names)
