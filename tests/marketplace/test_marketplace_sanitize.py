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
