"""Paid templates show a preview before purchase, on the page and through the API."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from agentops_pipelines.marketplace import catalog
from agentops_pipelines.marketplace.preview import PREVIEW_NOTE, for_viewer, preview_text
from agentops_pipelines.marketplace.store_factory import marketplace_store

PAGES = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages"
PAID = "auth-feature-spec"  # seeded at $19.00
CRITERION = "rotate the session identifier"  # a line of its body


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'app.db'}"
    monkeypatch.setenv("AGENTOPS_HOME", str(home))
    monkeypatch.setenv("AGENTOPS_DB_URL", url)
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    monkeypatch.setenv("AGENTOPS_DEV_ADMIN", "bob")
    return url


def test_preview_keeps_the_outline_and_drops_the_body() -> None:
    text = "# Auth\n\nIntro line.\n\n## Requirements\n\n### FR-001 Sign-up\n- WHEN a secret step\n"
    shown = preview_text(text)
    assert shown.startswith("# Auth\n\nIntro line.")
    assert "- Requirements" in shown and "- FR-001 Sign-up" in shown
    assert "secret step" not in shown


def test_paid_detail_is_a_preview_unless_bought_or_authored(env: str) -> None:
    detail = catalog.get_template(marketplace_store(env), PAID)
    assert detail.price_cents > 0 and CRITERION in detail.content

    def nobody(_workspace: str, _slug: str) -> bool:
        return False

    def everyone(_workspace: str, _slug: str) -> bool:
        return True

    preview = for_viewer(detail, "default", "bob", nobody)
    assert preview.preview and CRITERION not in preview.content and preview.files == {}
    assert preview.title == detail.title and preview.versions == detail.versions
    assert not for_viewer(detail, "default", "bob", everyone).preview
    assert not for_viewer(detail, "default", detail.author, nobody).preview


def test_marketplace_page_shows_a_preview_of_a_paid_template(env: str) -> None:
    at = AppTest.from_file(str(PAGES / "marketplace.py"), default_timeout=60)
    at.run()
    at.selectbox(key="mp_open").set_value(PAID).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = "\n".join(m.value for m in at.markdown)
    assert CRITERION not in shown
    assert "FR-002 Sign-in" in shown  # the outline
    assert any(PREVIEW_NOTE in i.value for i in at.info)


def test_upload_widget_limit_matches_the_text(env: str) -> None:
    os.environ["AGENTOPS_DEV_ADMIN"] = "ada"
    at = AppTest.from_file(str(PAGES / "marketplace_upload.py"), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (widget,) = at.get("file_uploader")
    assert widget.proto.max_upload_size_mb == 1  # not Streamlit's default 200 MB
    assert "256 KB" in widget.proto.label and "512 KB" in widget.proto.label


def test_api_detail_of_a_paid_template_is_a_preview(tmp_path: Path) -> None:
    from agentops_pipelines.settings import load_settings
    from tests.api_support import api_client
    from tests.auth_support import auth_headers

    client = api_client(settings=load_settings({"AGENTOPS_HOME": str(tmp_path / "api")}))
    bob = auth_headers(client.app, "bob", "maintainer", workspace="team-bob")
    got = client.get(f"/api/marketplace/templates/{PAID}", headers=bob)
    assert got.status_code == 200, got.text
    body = got.json()
    assert body["preview"] is True and CRITERION not in body["content"]
    assert "FR-002 Sign-in" in body["content"]
    free = client.get("/api/marketplace/templates/bugfix-spec", headers=bob).json()
    assert free["preview"] is False
