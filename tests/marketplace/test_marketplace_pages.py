"""The three Marketplace pages headless through AppTest, against a tmp app store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from marketplace_factories import template_md
from streamlit.testing.v1 import AppTest

from agentops_pipelines.marketplace import catalog, forks, moderation
from agentops_pipelines.marketplace.store_factory import marketplace_store
from agentops_pipelines.settings import reset_settings

PAGES = Path(__file__).resolve().parents[2] / "streamlit_app" / "app_pages"
TIMEOUT = 60


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'app.db'}"
    monkeypatch.setenv("AGENTOPS_HOME", str(home))
    monkeypatch.setenv("AGENTOPS_DB_URL", url)
    monkeypatch.setenv("AGENTOPS_MODERATORS", "mod-ann")
    monkeypatch.delenv("STRIPE_SECRET_KEY", raising=False)
    return url


def _run(page: str, user: str | None = None) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=TIMEOUT)
    if user:  # the signed-in user (fixture env: the dev-mode local admin's name)
        os.environ["AGENTOPS_DEV_ADMIN"] = user
        reset_settings()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_marketplace_page_browses_seeded_cards_and_forks(env: str) -> None:
    at = _run("marketplace.py", user="bob")
    titles = [m.value for m in at.markdown if m.value.startswith("**")]
    assert len(titles) == 10
    at.selectbox(key="mp_open").set_value("bugfix-spec").run()
    assert at.header[0].value == "Bugfix spec"
    _button(at, "Fork into workspace").click().run()
    assert not at.exception
    assert any("Forked bugfix-spec 1.0.0" in s.value for s in at.success)
    assert catalog.get_template(marketplace_store(env), "bugfix-spec").forks == 1
    at.run()
    assert any("`bugfix-spec` at 1.0.0" in m.value for m in at.markdown)


def test_marketplace_page_search_and_paid_buy_without_billing(env: str) -> None:
    at = _run("marketplace.py", user="bob")
    search = next(t for t in at.text_input if t.label == "Search templates")
    search.set_value("password reset sessions").run()
    assert at.selectbox(key="mp_open").options == [
        "Authentication feature spec (EARS) (auth-feature-spec)"
    ]
    _button(at, "Buy for $19.00").click().run()
    assert any("billing not configured" in i.value for i in at.info)
    _button(at, "Download").click().run()
    assert any("buy it" in e.value for e in at.error)


def test_upload_page_accepts_and_rejects_with_reasons(env: str) -> None:
    at = _run("marketplace_upload.py", user="ada")
    at.text_area(key="mp_paste").set_value(template_md())
    _button(at, "Submit template").click().run()
    assert any("waiting for a moderator" in s.value for s in at.success)
    hostile = template_md(version="2.0.0", body="<script>x</script>\n[a](javascript:alert(1))\n")
    at.text_area(key="mp_paste").set_value(hostile)
    _button(at, "Submit template").click().run()
    assert at.error[0].value.startswith("The upload was rejected")
    problems = " ".join(m.value for m in at.markdown)
    assert "active HTML" in problems and "javascript" in problems


def test_moderation_page_needs_moderator_and_approves(env: str, monkeypatch) -> None:
    monkeypatch.setenv("AGENTOPS_DEV_ROLE", "owner")  # restored after the test
    sf = marketplace_store(env)
    moderation.submit(sf, "t.md", template_md().encode(), author="ada")
    os.environ["AGENTOPS_DEV_ROLE"] = "maintainer"  # bob maintains; he does not moderate
    reset_settings()
    at = _run("marketplace_moderation.py", user="bob")
    # The page's own role check (access.require_page) refuses before the queue is read.
    assert "needs the moderator role" in at.error[0].value
    assert not at.subheader
    del os.environ["AGENTOPS_DEV_ROLE"]
    reset_settings()
    at = _run("marketplace_moderation.py", user="mod-ann")
    assert at.subheader[0].value == "Queue (1)"
    _button(at, "Approve").click().run()
    assert not at.exception
    assert catalog.get_template(sf, "checkout-flow-spec").status == "published"
    assert at.subheader[0].value == "Queue (0)"


def test_marketplace_page_shows_upstream_diff_and_updates_fork(env: str) -> None:
    sf = marketplace_store(env)
    moderation.submit(sf, "t.md", template_md().encode(), author="agentops", trusted=True)
    forks.fork(sf, "checkout-flow-spec", "default", "bob")
    v2 = template_md(version="1.1.0", body="# Checkout\n\n## FR-002 Refund\nFull refunds.\n")
    moderation.submit(sf, "t.md", v2.encode(), author="agentops", trusted=True)
    at = _run("marketplace.py", user="bob")
    assert at.expander[0].label == "Upstream update: checkout-flow-spec 1.0.0 -> 1.1.0"
    assert "+## FR-002 Refund" in at.code[0].value
    _button(at, "Update fork").click().run()
    assert not at.exception
    assert forks.list_forks(sf, "default")[0].upstream_version == "1.1.0"
    assert not any(e.label.startswith("Upstream update") for e in at.expander)
