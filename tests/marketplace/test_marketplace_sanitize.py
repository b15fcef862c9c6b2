"""Markdown shown in Streamlit or served by the API carries no active HTML or script links."""

from __future__ import annotations

import pytest

from agentops_pipelines.marketplace.checks import scan_links
from agentops_pipelines.marketplace.sanitize import contains_html, sanitize_markdown


@pytest.mark.parametrize(
    ("raw", "forbidden"),
    [
        ("<script>alert(1)</script>\n\nok", "alert(1)"),
        ("text <SCRIPT src=//x.io/a.js></SCRIPT> more", "x.io"),
        ("<iframe src='https://x.io'></iframe>", "iframe"),
        ('hi <img src=x onerror="alert(1)"> there', "onerror"),
        ("[click](javascript:alert(document.cookie))", "javascript"),
        ("[click]( JavaScript:alert(1))", "alert"),
        ("<javascript:alert(1)>", "javascript"),
        ("[img](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
        ("<div>\n<style>body{}</style>\n</div>\n\ntext", "<div>"),
        ("<svg onload=alert(1)>", "onload"),
    ],
)
def test_sanitize_removes_active_content(raw: str, forbidden: str) -> None:
    clean = sanitize_markdown(raw)
    assert forbidden.lower() not in clean.lower()
    assert not any(t in clean.lower() for t in ("<script", "<iframe", "onerror=", "<svg"))


def test_placeholders_survive_as_inert_text() -> None:
    clean = sanitize_markdown("# <Resource> API\n\nUse `<id>` and <one-line summary>.\n")
    assert "\\<Resource>" in clean and "\\<one-line summary>" in clean
    assert not contains_html(clean)


def test_ordinary_markdown_is_unchanged() -> None:
    text = "# Title\n\n- item **bold** [docs](https://example.org/a?b=1)\n\n```yaml\na: 1\n```\n"
    assert sanitize_markdown(text) == text


def test_link_check_is_offline_syntax_and_scheme_only() -> None:
    ok = "[a](https://example.org/x) [b](./local.md) [c](#anchor) mailto:team@example.org"
    assert scan_links(ok, "t.md") == []
    bad = scan_links("[a](ftp://example.org) [b](https://) see http://bad host", "t.md")
    assert any("ftp:" in p for p in bad) and any("no valid host" in p for p in bad)


# ---- hostile rendering (issue 22) -----------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        'a <img src="x"/onerror=alert(1)> b',
        '<a href="javascript:alert(1)">x</a>',
        "[c](javascript:alert(1))",
        "[c]( JaVaScRiPt:alert(1) )",
        "[e](&#106;avascript:alert(1))",
        "[r]: javascript:alert(1)\n\nsee [r]",
    ],
    ids=["img-slash-onerror", "html-anchor", "md-link", "md-link-case", "md-entity", "reference"],
)
def test_hostile_markup_is_neutralised(hostile: str) -> None:
    from agentops_pipelines.marketplace.sanitize import sanitize_markdown

    clean = sanitize_markdown(hostile)
    assert "onerror" not in clean and "javascript:" not in clean.lower()
    assert "&#106;avascript" not in clean
    assert sanitize_markdown(clean) == clean


def test_titles_are_plain_text() -> None:
    from agentops_pipelines.marketplace.models import FrontMatter
    from agentops_pipelines.marketplace.sanitize import escape_markdown

    meta = FrontMatter.model_validate(
        {
            "title": "[Click me](javascript:alert(1)) <b>now</b>",
            "kind": "spec_template",
            "license": "MIT",
            "version": "1.0.0",
            "description": "A template with a hostile title.",
        }
    )
    assert meta.title == "Click me now"
    assert escape_markdown("[x](y)") == "\\[x\\]\\(y\\)"


@pytest.mark.parametrize(
    "body",
    [
        '# T\n\n<img src="x"/onerror=alert(1)>\n',
        '# T\n\n<a href="javascript:alert(1)">go</a>\n',
        "# T\n\n[go](javascript:alert(1))\n",
    ],
    ids=["img-onerror", "raw-anchor", "md-link"],
)
def test_hostile_bodies_are_refused_on_upload(body: str) -> None:
    from marketplace_factories import template_md

    from agentops_pipelines.marketplace.errors import UploadRejected
    from agentops_pipelines.marketplace.upload import validate_upload

    with pytest.raises(UploadRejected):
        validate_upload("t.md", template_md(body=body).encode())


def test_download_sanitises_on_the_way_out_and_titles_stay_plain(tmp_path, monkeypatch):
    from marketplace_factories import template_md
    from sqlalchemy import update

    from agentops_pipelines.marketplace.store_factory import marketplace_store
    from agentops_pipelines.marketplace.tables import VersionRow
    from agentops_pipelines.settings import load_settings
    from tests.api_support import api_client
    from tests.auth_support import auth_headers

    monkeypatch.setenv("AGENTOPS_MODERATORS", "mod-ann")
    monkeypatch.delenv("AGENTOPS_GITHUB_WEBHOOK_SECRET", raising=False)
    settings = load_settings({"AGENTOPS_HOME": str(tmp_path / "home")})
    client = api_client(settings=settings)
    ada = auth_headers(client.app, "ada", "maintainer", workspace="team-ada")
    up = client.post(
        "/api/marketplace/templates",
        files={"file": ("t.md", template_md(title="[Evil](https://x.example) spec"))},
        headers=ada,
    )
    assert up.status_code in (200, 201), up.text
    slug, version = up.json()["slug"], up.json()["version"]
    moderator = auth_headers(client.app, "mod-ann", "moderator")
    approve = f"/api/marketplace/moderation/{slug}/{version}/approve"
    assert client.post(approve, json={"reason": "ok"}, headers=moderator).status_code == 204
    with marketplace_store(settings.app_db_url).begin() as session:  # a row stored before the fix
        session.execute(
            update(VersionRow).values(
                content='<a href="javascript:alert(1)">pay</a> [x](javascript:y)'
            )
        )
    got = client.get(f"/api/marketplace/templates/{slug}/download", headers=ada).json()
    assert "javascript:" not in got["content"].lower()
    detail = client.get(f"/api/marketplace/templates/{slug}", headers=ada).json()
    assert detail["title"] == "Evil spec"
